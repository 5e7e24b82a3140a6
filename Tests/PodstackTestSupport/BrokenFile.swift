import Testing

/// Compose files that must not load, each with the line the error must point at and a fragment of its
/// message. Most start from the same four lines, so line numbers of additions start at 5:
///
///     1 name: p
///     2 services:
///     3   a:
///     4     image: x
public struct BrokenFile: Sendable, CustomTestStringConvertible {
    public var name: String
    public var yaml: String
    public var line: Int
    public var fragment: String
    public var environment: [String: String] = [:]

    public var testDescription: String { name }

    public static let head = "name: p\nservices:\n  a:\n    image: x\n"

    /// A file made of `head` followed by `lines`.
    public static func service(_ name: String, line: Int, _ fragment: String, _ lines: String...) -> BrokenFile {
        BrokenFile(name: name, yaml: head + lines.joined(separator: "\n") + "\n", line: line, fragment: fragment)
    }

    public static let corpus: [BrokenFile] = [
        // YAML itself
        BrokenFile(name: "tab indentation", yaml: "name: p\nservices:\n\ta:\n", line: 3, fragment: "invalid YAML"),
        service(
            "unclosed quote", line: 7, "quoted scalar that starts at line 5", "    command: \"never closed",
            "    user: x"),
        service("bad indentation", line: 5, "invalid YAML", "   user: x"),
        service("key given twice", line: 4, "appears twice", "    image: y"),
        service("undefined alias", line: 5, "invalid YAML: found undefined alias", "    user: *nope"),
        BrokenFile(name: "empty file", yaml: "", line: 1, fragment: "the file is empty"),
        BrokenFile(name: "top level is a list", yaml: "- a\n- b\n", line: 1, fragment: "must be a mapping"),

        // the pod
        service("unknown YAML tag", line: 5, "YAML tag '!foo' means nothing to compose", "    user: !foo x"),
        BrokenFile(
            name: "invalid pod name", yaml: "name: -bad\nservices:\n  a:\n    image: x\n", line: 1,
            fragment: "not a valid pod name"),
        BrokenFile(name: "no services", yaml: "name: p\n", line: 1, fragment: "has no services"),
        BrokenFile(name: "empty services", yaml: "name: p\nservices: {}\n", line: 2, fragment: "services is empty"),
        BrokenFile(
            name: "services as a list", yaml: "name: p\nservices:\n  - a\n", line: 3,
            fragment: "services must be a mapping"),
        service("unknown top-level key", line: 5, "unknown key 'foo' in the top level", "foo: 1"),
        service(
            "network with an address range", line: 10, "'ip_range' in an entry of config of ipam of network 'n'",
            "    networks: [n]", "networks:", "  n:", "    ipam:", "      config:", "        - {subnet: 10.9.0.0/24, ip_range: 10.9.0.0/25}"),
        service(
            "subnet that is not ADDRESS/PREFIX", line: 10, "subnet '10.9.0.0' of network 'n' is not ADDRESS/PREFIX",
            "    networks: [n]", "networks:", "  n:", "    ipam:", "      config:", "        - subnet: 10.9.0.0"),
        service("include of a missing file", line: 5, "included file", "include: [missing.yml]"),

        // keys of a service
        service("misspelt key", line: 5, "unknown key 'imagee' in service 'a'", "    imagee: y"),
        service("exposed port out of range", line: 6, "in expose of service 'a'", "    expose:", "      - 99999"),
        service("build over ssh", line: 6, "'ssh' in build of service 'a' is not supported", "    build:", "      ssh: [default]"),
        service("network_mode of a container", line: 5, "network_mode 'container:c' of service 'a'", "    network_mode: \"container:c\""),
        service("undeclared network", line: 5, "network 'front' of service 'a' is not declared", "    networks: [front]"),
        service(
            "fixed address that is not an address", line: 7, "ipv4_address of network 'n' of service 'a' 'ten' is not an IP address",
            "    networks:", "      n:", "        ipv4_address: ten", "networks: {n: {}}"),
        service(
            "ports on another service's namespace, services on networks", line: 6,
            "publishes ports on network_mode service:b, where it has no network of its own",
            "    network_mode: service:b", "    ports: [\"8080:80\"]", "  b:", "    image: y", "    ports: [\"8081:80\"]",
            "  c:", "    image: y", "    ports: [\"8082:80\"]"),
        service("link to an unknown service", line: 5, "depends on unknown service 'nobody'", "    links: [nobody]"),
        service("link alias", line: 5, "alias 'a b' in links of service 'a'", "    links: [\"a:a b\"]"),
        service("hostname", line: 5, "hostname of service 'a' 'one two' is not a host name", "    hostname: one two"),
        service(
            "one host at two addresses", line: 8, "maps 'db' to 10.0.0.2", "    extra_hosts: [\"db:10.0.0.1\"]",
            "  b:", "    image: y", "    extra_hosts: {db: 10.0.0.2}"),
        service(
            "extra host over a service name", line: 5, "maps 'a' to 10.0.0.2", "    extra_hosts: [\"a=10.0.0.2\"]"),
        service(
            "two shm sizes", line: 8, "shm_size of service 'b' differs", "    shm_size: 64m", "  b:", "    image: y",
            "    shm_size: 32m"),
        service("dns server", line: 5, "dns server 'resolver' of service 'a'", "    dns: resolver"),
        service("no replicas", line: 5, "replicas of deploy of service 'a' is 0", "    deploy: {replicas: 0}"),
        service(
            "container_name used twice", line: 8, "container name 'c' is also made by", "    container_name: c", "  b:",
            "    image: y", "    container_name: c"),
        service("extends of an unknown service", line: 5, "extends names service 'b'", "    extends: {service: b}"),
        service("extends of itself", line: 5, "extends makes a cycle", "    extends: a"),
        service("service is a list", line: 6, "service 'b' must be a mapping", "  b:", "    - image: x"),
        service("service name Podman rejects", line: 5, "which Podman rejects", "  b c:", "    image: x"),
        service("service name with a slash", line: 5, "which Podman rejects", "  b/c:", "    image: x"),

        // image
        service("no image", line: 5, "service 'b' has no image", "  b:", "    user: x"),
        service("empty image", line: 6, "image of service 'b' is empty", "  b:", "    image: \"\""),
        service("image from an unset variable", line: 6, "image of service 'b' is empty", "  b:", "    image: ${IMG}"),
        service("image as a list", line: 6, "image of service 'b' must be a single value", "  b:", "    image: [x]"),
        service("image with spaces", line: 6, "is not an image reference", "  b:", "    image: two words"),
        service(
            "required variable unset", line: 6, "required variable IMG is missing a value: set the image", "  b:",
            "    image: ${IMG:?set the image}"),
        service("lone dollar", line: 5, "'$' must be followed by a variable name", "    command: echo $1"),
        service("unclosed expression", line: 5, "is not closed with '}'", "    user: ${USER_ID"),

        // ports
        service(
            "port out of range", line: 6, "port 70000 is out of range 1-65535", "    ports:", "      - \"70000:80\""),
        service("port with no container port", line: 6, "'' is not a port number", "    ports:", "      - \"80:\""),
        service("ports not a list", line: 5, "ports of service 'a' must be a list", "    ports: \"80:80\""),
        service(
            "huge port number", line: 6, "is out of range 1-65535", "    ports:",
            "      - \"1:99999999999999999999999\""),
        service(
            "long port without a target", line: 6, "needs a target", "    ports:", "      - published: 80"),
        service(
            "long port with a bad protocol", line: 8, "protocol 'sctp' is not supported", "    ports:",
            "      - target: 80", "        published: 8080", "        protocol: sctp"),
        service(
            "same host port twice", line: 9, "host port 8080/tcp on 127.0.0.1 of service 'b' is already published",
            "    ports: [\"8080:80\"]", "  b:", "    image: x", "    ports:", "      - \"8080:81\""),
        service(
            "wildcard address overlaps loopback", line: 8, "is already published by service 'a'",
            "    ports: [\"127.0.0.1:8080:80\"]", "  b:", "    image: x", "    ports: [\"0.0.0.0:8080:81\"]"),

        // dependencies
        service("unknown dependency", line: 6, "depends on unknown service 'b'", "    depends_on:", "      - b"),
        service(
            "retries that are not a number", line: 7, "must be a whole number, not 'many'", "    healthcheck:",
            "      test: true", "      retries: many"),
        service(
            "dependency cycle", line: 3, "dependency cycle: a -> b -> a", "    depends_on: [b]", "  b:", "    image: x",
            "    depends_on: [a]"),
        service("self dependency", line: 3, "dependency cycle: a -> a", "    depends_on: [a]"),
        service(
            "bad condition", line: 10, "condition 'service_ready' in depends_on of service 'a'", "    depends_on:",
            "      b:", "        condition: service_ready", "  b:", "    image: x"
        )
        .withLine(7),
        service(
            "dependency outside the active profiles", line: 6, "which no active profile includes", "    depends_on:",
            "      - b", "  b:", "    image: x", "    profiles: [debug]"),

        // mounts, volumes, secrets
        service(
            "bind at a new directory under the filesystem root", line: 6,
            "the filesystem root or a new directory directly under it", "    volumes:",
            "      - ${PSTEST_UNSET_DIRECTORY}/pstest-nowhere:/data"),
        service(
            "undeclared volume", line: 6, "volume 'data' in volumes of service 'a' is not declared", "    volumes:",
            "      - data:/data"),
        service("volume of one relative path", line: 6, "is not SOURCE:TARGET", "    volumes:", "      - data"),
        service(
            "relative mount target", line: 6, "must be an absolute path in the container", "    volumes:",
            "      - ./x:data"),
        service("unknown mount option", line: 6, "volume option 'cached'", "    volumes:", "      - ./x:/x:cached"),
        service(
            "long mount with a bad boolean", line: 10, "read_only of volumes of service 'a' must be true or false",
            "    volumes:", "      - type: bind", "        source: ./x", "        target: /x",
            "        read_only: maybe"
        )
        .withLine(9),
        service(
            "undeclared secret", line: 6, "secret 'pw' in secrets of service 'a' is not declared", "    secrets:",
            "      - pw"),
        service(
            "secret file missing", line: 7, "does not exist", "secrets:", "  pw:",
            "    file: /nonexistent/podstack/secret"),
        service(
            "secret with both sources", line: 6, "needs exactly one of file: or environment:", "secrets:", "  pw:",
            "    file: ./a", "    environment: B"),
        service("env_file missing", line: 5, "cannot be read", "    env_file: ./missing.env"),

        // health checks
        service(
            "interval without unit", line: 7, "has no unit", "    healthcheck:", "      test: [\"CMD\", \"true\"]",
            "      interval: 10"),
        service(
            "test of an unknown form", line: 6, "must start with CMD, CMD-SHELL or NONE", "    healthcheck:",
            "      test: [\"FOO\"]"),
        service("health check without test", line: 6, "has no test", "    healthcheck:", "      interval: 5s"),
        service(
            "huge retries", line: 7,
            "retries of healthcheck of service 'a' 99999999999999999999999 is out of range 1-1000", "    healthcheck:",
            "      test: true",
            "      retries: 99999999999999999999999"),
        service(
            "zero timeout", line: 7, "must be longer than zero", "    healthcheck:", "      test: true",
            "      timeout: 0s"),

        // other keys
        service("bad restart policy", line: 5, "restart policy 'sometimes'", "    restart: sometimes"),
        service(
            "environment as a string", line: 5, "environment of service 'a' must be a mapping (KEY: value) or a list",
            "    environment: A=1"),
        service(
            "reserved label", line: 6, "is in podstack's own namespace", "    labels:", "      io.podstack.stack: x"),
        service("bad stop signal", line: 5, "is not a signal", "    stop_signal: please stop"),
        service("relative working_dir", line: 5, "must be an absolute path", "    working_dir: app"),
        service("unclosed quote in command", line: 5, "has an unclosed quote", "    command: sh -c 'echo"),
        service(
            "huge key", line: 5, "could not find expected ':'", "    " + String(repeating: "k", count: 10_000) + ": 1"),
        service(
            "huge image", line: 5, "is not an image reference", "    user: x", "  b:",
            "    image: " + String(repeating: "i", count: 10_000)
        ).withLine(7),
        service(
            "long unknown key", line: 5, "unknown key '" + String(repeating: "k", count: 40) + "...'",
            "    " + String(repeating: "k", count: 500) + ": 1"),
    ]

    public func withLine(_ line: Int) -> BrokenFile {
        var copy = self
        copy.line = line
        return copy
    }
}
