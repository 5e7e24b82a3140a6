import PodstackCLI

await PodstackCommand.main()
