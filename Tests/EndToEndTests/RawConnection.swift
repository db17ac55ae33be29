import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP client, so tests can send exactly the bytes they mean: pipelined
/// requests, smuggling shapes, a head that never finishes.
final class RawConnection {
    private let fd: Int32

    init?(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    /// Reads until the peer closes or `seconds` pass with nothing new.
    func readAll(seconds: Double = 5) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { break }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads until `count` complete responses arrived (by Content-Length), or time runs out.
    func readResponses(_ count: Int, seconds: Double = 5) -> [HTTPReply] {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let replies = HTTPReply.parseAll(data)
            if replies.count >= count { return replies }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) >= 0 else { break }
            if descriptor.revents & Int16(POLLIN) != 0 {
                let received = recv(fd, &buffer, buffer.count, 0)
                if received <= 0 { break }
                data += buffer[0..<received]
            }
        }
        return HTTPReply.parseAll(data)
    }

    /// One recv into `buffer`: the byte count, 0 at end, -1 on error or after 5 s of silence.
    func receive(into buffer: inout [UInt8]) -> Int {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 5_000) > 0 else { return -1 }
        return recv(fd, &buffer, buffer.count, 0)
    }

    func close() { Glibc.close(fd) }
    deinit { Glibc.close(fd) }
}

/// A response read off the wire (Content-Length or chunked framing).
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }

    static func parseAll(_ bytes: [UInt8]) -> [HTTPReply] {
        var replies: [HTTPReply] = []
        var rest = bytes[...]
        while let (reply, used) = parse(rest) {
            replies.append(reply)
            rest = rest.dropFirst(used)
        }
        return replies
    }

    static func parse(_ bytes: ArraySlice<UInt8>) -> (HTTPReply, Int)? {
        let text = Array(bytes)
        guard let end = text.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: text[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = head.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var index = end.upperBound
        var body = [UInt8]()
        if headers["transfer-encoding"] == "chunked" {
            while true {
                guard let lineEnd = text[index...].firstRange(of: Array("\r\n".utf8)),
                      let size = Int(String(decoding: text[index..<lineEnd.lowerBound], as: UTF8.self), radix: 16) else { return nil }
                let start = lineEnd.upperBound
                guard start + size + 2 <= text.count else { return nil }
                body += text[start..<(start + size)]
                index = start + size + 2
                if size == 0 { break }
            }
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard index + length <= text.count else { return nil }
            body = Array(text[index..<(index + length)])
            index += length
        }
        return (HTTPReply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self)), index)
    }
}
