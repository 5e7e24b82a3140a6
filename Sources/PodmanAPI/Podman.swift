/// The namespace of everything in PodmanAPI that is not an entry point.
///
/// Every public top-level name of the module begins with `Podman`: the three entry points (`PodmanClient`,
/// `PodmanError`, `PodmanSocket`) are named so themselves, and every other type lives in here
/// (`Podman.HTTP.Request`, `Podman.ContainerInspect`, `Podman.ContainerState`), so that a program that also
/// imports a server framework does not meet two `HTTPRequest`s. Module README: "Names".
public enum Podman {}
