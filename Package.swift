// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "guidegen",
    // macOS 15: Synchronization's Atomic and Mutex (Render.Theme) need it.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guidegen", targets: ["guidegen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Pinned to the minor release the code was written for: Content reads libyaml through Yams' CYaml module
        // (not a product of Yams, so it cannot be declared below), and Templates reads swift-mustache's parsed tokens
        // by reflection. A new minor release may change either; YAMLNodeTests and TemplateProgramTests compare
        // both with the libraries on thousands of random inputs and tell.
        .package(url: "https://github.com/jpsim/Yams", .upToNextMinor(from: "6.2.0")),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", .upToNextMinor(from: "2.1.0")),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // What the preview imports besides Hummingbird (Hummingbird depends on them at these versions).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        // What PreviewTests runs the preview with (Hummingbird depends on it at this version).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // What Tables unpacks .xlsx workbooks with (its inflate over zlib: zlib1g-dev on Linux).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // cmark-gfm from Debian (libcmark-gfm-dev, libcmark-gfm-extensions-dev) or Homebrew (cmark-gfm).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // Work on all cores and state shared between threads: parallelMap, Concurrent, ThreadLocal, Locked.
        .target(name: "Concurrency"),
        // JSON written byte for byte (sorted keys, safe inside <script>): diagnostics, JSON-LD, the search index.
        .target(name: "JSONText"),
        // One type for every user-facing problem, and how it is printed.
        .target(name: "Diagnostics", dependencies: ["JSONText"]),
        // The only target that touches cmark-gfm.
        .target(name: "Markdown", dependencies: ["CCmarkGFM"]),
        // Load files, parse front matter and Markdown into typed pages. Front matter is read from the
        // events of libyaml as Yams carries it (its CYaml module, see YAMLNode.swift), Yams composing what
        // that does not.
        .target(name: "Content", dependencies: [
            "Concurrency", "Diagnostics", "Markdown", .product(name: "Yams", package: "Yams"),
        ]),
        // Spreadsheets as text tables: CSV and XLSX (a zip of XML), bounded for untrusted files.
        .target(name: "Tables", dependencies: ["Concurrency", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Figures from official release files (OEWS, Employment Projections) by occupation code, filled into the roles.
        .target(name: "OfficialData", dependencies: ["Content", "Diagnostics", "Tables"]),
        // Resolve links, build the page graph (related, backlinks, hubs), in phases reading declared inputs (PhaseInputs.swift).
        .target(name: "Graph", dependencies: ["Concurrency", "Diagnostics", "Content", "Markdown"]),
        // Mustache templates: swift-mustache's parse, bounded, compiled to programs run over views (contract: TemplateProgramTests).
        .target(name: "Templates", dependencies: [
            "Concurrency", "Diagnostics", "Markdown", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The site's files from the graph: the theme, views, charts, JSON-LD, feeds, the HTML rewrite, which outputs a change touches (a folder each).
        .target(
            name: "Render",
            dependencies: ["Concurrency", "Diagnostics", "JSONText", "Markdown", "Content", "Graph", "Templates"],
            plugins: ["EmbedTheme"]
        ),
        // What `guidegen init` writes: starter/, embedded.
        .target(name: "Starter", plugins: ["EmbedTheme"]),
        // The static search index, from the graph.
        .target(name: "Search", dependencies: ["Concurrency", "Diagnostics", "JSONText", "Content", "Graph"]),
        // System calls Swift's Glibc and Darwin modules do not export: the output swap (renameat2 / renamex_np), the mount-point check, the allocator.
        .target(name: "CGuidegenSystem"),
        // Write the site aside and swap it in.
        .target(name: "Output", dependencies: ["Concurrency", "Diagnostics", "CGuidegenSystem"]),
        // Web addresses asked as a polite robot does (HEAD then GET, redirects followed one by one, a timeout), and the
        // answers kept for a day: `check --external`. Foundation's URLSession (libcurl on Linux) does the HTTP.
        .target(name: "LinkCheck", dependencies: ["Concurrency"]),
        // The pipeline: load -> parse -> official figures -> graph -> render -> write.
        .target(name: "Site", dependencies: ["Concurrency", "Diagnostics", "Content", "OfficialData", "Graph", "Render", "Search", "Output", "LinkCheck", "CGuidegenSystem"]),
        // `guidegen serve`: the rebuild loop, the site from memory over HTTP, live reload, file watching.
        .target(name: "Preview", dependencies: [
            "Site", "Concurrency", "Diagnostics", "JSONText",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "guidegen", dependencies: [
            "Site", "Diagnostics", "Graph", "Content", "OfficialData", "Tables", "Preview", "Search", "JSONText", "Starter", "CGuidegenSystem",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // libFuzzer target for page parsing (front matter + Markdown); see Tests/fuzz/run.sh.
        // Without -DFUZZING it is a replay tool that parses the files it is given.
        .executableTarget(name: "fuzz-page", dependencies: ["Content", "Markdown"]),
        // libFuzzer target for theme templates (load, check, render); see Tests/fuzz/run.sh.
        .executableTarget(name: "fuzz-template", dependencies: ["Templates"]),
        // libFuzzer target for table files (.xlsx workbooks, CSV); see Tests/fuzz/run.sh.
        .executableTarget(name: "fuzz-table", dependencies: ["Tables"]),
        // Build tool: turns themes/default into Swift source, so the binary carries its theme.
        .executableTarget(name: "theme-embedder"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["theme-embedder"]),

        // What several test targets share (a seeded random source).
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "TestSupport"]),
        .testTarget(name: "ConcurrencyTests", dependencies: ["Concurrency"]),
        .testTarget(name: "TablesTests", dependencies: ["Tables", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "OfficialDataTests", dependencies: ["OfficialData", "Tables", "Content", "Diagnostics", "Markdown", "TestSupport"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "ContentTests", dependencies: ["Content", "Diagnostics", "Markdown", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "GraphTests", dependencies: ["Graph", "Content", "Diagnostics", "Markdown", "TestSupport"]),
        .testTarget(name: "TemplatesTests", dependencies: [
            "Templates", "Diagnostics", "TestSupport", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .testTarget(name: "RenderTests", dependencies: [
            "Render", "Templates", "Graph", "Content", "Diagnostics", "JSONText", "Markdown", "TestSupport",
        ], exclude: ["Golden"]),
        .testTarget(
            name: "SearchTests",
            dependencies: ["Search", "Content", "Graph", "Markdown", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        // Against a local Hummingbird server that answers each case (never the internet); `guidegen check --external` too.
        .testTarget(name: "LinkCheckTests", dependencies: [
            "LinkCheck", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "OutputTests", dependencies: ["Output", "Diagnostics", "CGuidegenSystem"]),
        // Over real sockets with a small HTTP client of its own (HummingbirdTesting would build AsyncHTTPClient and BoringSSL).
        .testTarget(name: "PreviewTests", dependencies: [
            "Preview", "Site", "Search", "Diagnostics", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(
            name: "SiteTests",
            dependencies: ["Site", "Diagnostics", "Content", "Search", "Render", "Graph", "Markdown", "Output", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
