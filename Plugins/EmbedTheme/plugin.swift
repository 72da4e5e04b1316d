import Foundation
import PackagePlugin

/// Embeds a folder of the package into the target that uses the plugin, so the binary needs no files beside
/// it: `themes/default/` into Render (a site without a theme of its own still builds) as `EmbeddedTheme`, and
/// `starter/` into Starter (what `guidegen init` writes) as `EmbeddedStarter`.
@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let (folder, name) = target.name == "Starter" ? ("starter", "EmbeddedStarter") : ("themes/default", "EmbeddedTheme")
        let theme = context.package.directoryURL.appending(path: folder)
        let output = context.pluginWorkDirectoryURL.appending(path: name + ".swift")
        var inputs: [URL] = []
        if let files = FileManager.default.enumerator(at: theme, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                inputs.append(file)
            }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(folder)",
                executable: try context.tool(named: "theme-embedder").url,
                arguments: [theme.path, output.path, name],
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output]
            ),
        ]
    }
}
