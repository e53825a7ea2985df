/// JVM options as they appear on command lines, in start scripts and in logged command lines.
enum JVMOptions {
    /// Whether `option` is a form a `jvm_option` condition can name.
    static func isKnownForm(_ option: String) -> Bool {
        ["-Xmx", "-Xms", "-Xss", "-javaagent"].contains(option) || option.hasPrefix("-XX:") && option.count > 5
            || option.hasPrefix("-D") && option.count > 2 || option.hasPrefix("-agentlib:") && option.count > 10
    }

    /// The key a condition's option is stored under: `-XX:+Name`/`-XX:-Name`/`-XX:Name` → `-XX:Name`;
    /// `-Xrunjdwp` → `-agentlib:jdwp`.
    static func key(of option: String) -> String {
        if option.hasPrefix("-XX:+") || option.hasPrefix("-XX:-") { return "-XX:" + option.dropFirst(5) }
        if option.hasPrefix("-Xrunjdwp") { return "-agentlib:jdwp" }
        return option
    }

    /// The literal that any line setting `option` contains, for the line filter.
    static func literals(for option: String) -> [String] {
        let key = key(of: option)
        if key.hasPrefix("-XX:") {
            let name = key.dropFirst(4)
            return ["-XX:+\(name)", "-XX:-\(name)", "-XX:\(name)="]
        }
        if key == "-agentlib:jdwp" { return ["-agentlib:jdwp", "-Xrunjdwp"] }
        return [key]
    }

    /// The options of a line, in order, as (key, value): `-Xmx4g` → (`-Xmx`, `4g`), `-XX:+UseG1GC` →
    /// (`-XX:UseG1GC`, `true`), `-XX:MaxPermSize=256m` → (`-XX:MaxPermSize`, `256m`), `-Dname=v` →
    /// (`-Dname`, `v`), `-agentlib:jdwp=transport=…` → (`-agentlib:jdwp`, `transport=…`).
    static func options(in line: String) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        // A commented-out line of a start script (shell `#`, batch `REM`/`::`) sets nothing.
        if trimmed.hasPrefix("#") || trimmed.hasPrefix("::") || trimmed.lowercased().hasPrefix("rem ") { return [] }
        // Values may hold commas (`-agentlib:jdwp=transport=dt_socket,server=y`): only blanks and quotes separate.
        let separators: Set<Character> = [" ", "\t", "\"", "'", "(", ")"]
        for raw in line.split(whereSeparator: { separators.contains($0) }) {
            var token = Substring(raw)
            if let equals = token.firstIndex(of: "="), !token.hasPrefix("-"),
                token[token.index(after: equals)...].hasPrefix("-")
            {
                token = token[token.index(after: equals)...]  // JAVA_OPTS=-Xmx4g
            }
            guard token.hasPrefix("-") else { continue }
            for size in ["-Xmx", "-Xms", "-Xss"] where token.hasPrefix(size) && token.count > size.count {
                result.append((size, String(token.dropFirst(size.count))))
            }
            if token.hasPrefix("-XX:+") || token.hasPrefix("-XX:-") {
                result.append(("-XX:" + token.dropFirst(5), token.hasPrefix("-XX:+") ? "true" : "false"))
            } else if token.hasPrefix("-XX:"), let equals = token.firstIndex(of: "=") {
                result.append((String(token[..<equals]), String(token[token.index(after: equals)...])))
            } else if token.hasPrefix("-D"), token.count > 2 {
                if let equals = token.firstIndex(of: "=") {
                    result.append((String(token[..<equals]), String(token[token.index(after: equals)...])))
                } else {
                    result.append((String(token), ""))
                }
            } else if token.hasPrefix("-agentlib:") {
                let body = token.dropFirst(10)
                let name = body.prefix { $0 != "=" }
                result.append(("-agentlib:" + name, String(body.dropFirst(name.count + 1))))
            } else if token.hasPrefix("-Xrunjdwp") {
                result.append(("-agentlib:jdwp", String(token.dropFirst(9).drop { $0 == ":" })))
            } else if token.hasPrefix("-javaagent:") {
                result.append(("-javaagent", String(token.dropFirst(11))))
            }
        }
        return result
    }

    /// A number, or a size in bytes (`512m`, `4g`, `64k`, `1t`; JVM sizes are binary).
    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        if let value = Double(trimmed) { return value }
        guard let last = trimmed.last, let base = Double(trimmed.dropLast()) else { return nil }
        switch last {
        case "k", "K": return base * 1024
        case "m", "M": return base * 1024 * 1024
        case "g", "G": return base * 1024 * 1024 * 1024
        case "t", "T": return base * 1024 * 1024 * 1024 * 1024
        default: return nil
        }
    }
}
