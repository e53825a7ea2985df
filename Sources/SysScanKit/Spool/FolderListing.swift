import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The regular files below a folder, sorted by path.
///
/// Links, FIFOs, devices and sockets are left out (as a folder upload's reader leaves them out):
/// reading a FIFO would block, a link could lead anywhere.
enum FolderListing {
    static func files(below root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { files.append(path) }
        }
        return files.sorted()
    }
}
