import PodstackCLI

/// The executable only hands over to the command library, so that tests can run the commands in-process.
@main
struct PodstackMain {
    static func main() async {
        await PodstackCommand.run()
    }
}
