import ArgumentParser
import Content
import Diagnostics
import Foundation
import Hummingbird
import Preview
import Site

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site: build it in memory, serve it, and reload the browser on every save.",
        discussion: """
        Watches guidegen.yml, content/, static/ and the theme. A save rebuilds only what it changes; \
        the open tab reloads once the new site is complete and keeps its scroll position. An error \
        shows in the browser and here with file:line:column, while the last good site stays served. \
        Serves from memory and writes nothing. Binds 127.0.0.1 unless --host says otherwise, and \
        answers only requests addressed to localhost, 127.0.0.1, [::1] or the --host address \
        (with --host 0.0.0.0, any IP address too); --allowed-host NAME allows another name.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The site folder (holds guidegen.yml and content/).", valueName: "dir"))
    var source: String = "."

    @Option(name: .long, help: ArgumentHelp("The address to listen on; 0.0.0.0 lets other machines in.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port: Int = 4000

    @Option(name: .customLong("allowed-host"), help: ArgumentHelp(
        "Another host name the preview answers to (repeatable), like a name of this machine on the network.",
        valueName: "name"))
    var allowedHosts: [String] = []

    @Flag(name: .long, help: "Include pages marked `draft: true`.")
    var drafts = false

    @Flag(name: .long, help: "Open the site in the default browser once it is served.")
    var open = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        for name in allowedHosts where name.isEmpty || name.contains(where: { $0 == "/" || $0 == "@" || $0.isWhitespace }) {
            throw ValidationError("--allowed-host takes a host name like my-laptop.local (got \"\(name)\")")
        }
    }

    func run() async throws {
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Terminal.warning("serving on \(host): anyone who can reach this machine can read the preview, drafts included if --drafts is on")
        }
        let basePath = Self.basePath(source: source)
        let shownHost = host.contains(":") ? "[\(host)]" : (host == "0.0.0.0" ? "127.0.0.1" : host)
        let root = SiteFiles(siteDirectory: source)?.root ?? source
        let state = PreviewState(basePath: basePath, siteRoot: root, access: PreviewAccess(listening: host, allowed: allowedHosts))
        let rebuilder = Rebuilder(state: state, options: BuildOptions(source: source, includeDrafts: drafts)) { Self.show($0) }
        rebuilder.rebuild(changed: nil)
        let watcher = rebuilder.watch(root: root)
        let openBrowser = open
        // Ctrl-C: the server shuts down gracefully (swift-service-lifecycle handles the signal); the event
        // streams, which never end by themselves, are ended here so that it need not wait for them.
        let stopping = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                watcher.stop()
                state.finishListeners()
            }
            source.resume()
            return source
        }
        defer { stopping.forEach { $0.cancel() } }
        let app = PreviewServer.application(state: state, host: host, port: port, warn: { Terminal.warning($0) }) { port in
            let url = "http://\(shownHost):\(port)\(basePath)"
            Terminal.out("Serving \(url) (Ctrl-C to stop)")
            if openBrowser { Serve.openInBrowser(url) }
        }
        do {
            try await app.runService()
        } catch {
            watcher.stop()
            state.finishListeners()
            Terminal.error("cannot serve on \(host):\(port): \(error)")
            throw ExitCode.failure
        }
        watcher.stop()
        state.finishListeners()
    }

    /// base_url's path from guidegen.yml, so the preview serves the site where it will be published.
    static func basePath(source: String) -> String {
        guard let text = try? String(contentsOfFile: (source as NSString).appendingPathComponent("guidegen.yml"), encoding: .utf8),
              let config = SiteConfig.load(text: text, file: "guidegen.yml", baseURLOverride: nil).0 else { return "/" }
        return config.basePath
    }

    /// One update of the preview on the terminal: its problems when they are news, then a line saying what it did.
    static func show(_ report: Rebuilder.Report) {
        let update = report.update
        if report.showsDiagnostics { Terminal.print(update.diagnostics) }
        if report.isFirst {
            Terminal.out(update.succeeded ? "Built \(Terminal.count(report.pages, "page")) in \(report.milliseconds) ms"
                                          : "The site has \(Terminal.count(update.diagnostics.errors.count, "error")); fix them and save")
        } else if update.succeeded {
            let stages = update.stages.map { "\($0.name) \(Int(($0.seconds * 1000).rounded()))" }.joined(separator: ", ")
            Terminal.out("Rebuilt in \(report.milliseconds) ms: \(Terminal.count(update.changed.count, "file")) changed, "
                         + "\(update.rendered) rendered, \(update.reread) read (\(stages) ms)")
        } else {
            Terminal.error("rebuild failed with \(Terminal.count(update.diagnostics.errors.count, "error")); still serving the last good site")
        }
    }

    static func openInBrowser(_ url: String) {
        let process = Process()
        #if os(macOS)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/open")
        #else
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xdg-open")
        #endif
        process.arguments = [url]
        try? process.run()
    }
}
