// Placeholder: filled in by the fuzz work.
@main struct FuzzPage { static func main() {} }
