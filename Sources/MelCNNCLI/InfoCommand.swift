import ArgumentParser

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe audio or HDF5 files.")
    @Argument(help: "Files to describe.") var files: [String]
    func run() throws { throw ValidationError("info: not implemented yet") }
}
