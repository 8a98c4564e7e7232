//! Just enough HTTP/1.1 for the quickstart, over `std::net` (no HTTP crate, so the
//! example builds in seconds): a server on 127.0.0.1 that answers each request with a
//! closure of its method and headers, and a client that sends one request and reads
//! the whole response. With a real client, use `api_errors::reqwest::send` (the
//! `retry_http` example) or the tower layer and middleware (the other examples).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

/// A response: status, headers, body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Starts a server on an ephemeral port of 127.0.0.1, on a thread of its own, that
/// answers `(method, headers)` with `reply`; returns its address.
pub fn serve<F>(reply: F) -> std::io::Result<String>
where
    F: Fn(&str, &[(String, String)]) -> Response + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok((method, headers)) = read_head(&stream) else {
                continue;
            };
            let r = reply(&method, &headers);
            let mut out = format!(
                "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                r.status,
                r.body.len()
            );
            for (name, value) in &r.headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let mut stream = stream;
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&r.body);
        }
    });
    Ok(addr)
}

/// Sends `method /path` with `headers` to `addr` and reads the whole response.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        match line.trim_end().split_once(':') {
            Some((name, value)) => headers.push((name.to_string(), value.trim().to_string())),
            None => break,
        }
    }
    let mut body = Vec::new();
    reader.read_to_end(&mut body)?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The request's method and headers.
fn read_head(stream: &TcpStream) -> std::io::Result<(String, Vec<(String, String)>)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let method = line.split(' ').next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        match line.trim_end().split_once(':') {
            Some((name, value)) => {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()))
            }
            None => break,
        }
    }
    Ok((method, headers))
}

/// A wait as people read it: `340 ms`, `1.3 s`, `2 min`.
pub fn human(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=59_999 if ms.is_multiple_of(1_000) => format!("{} s", ms / 1_000),
        1_000..=59_999 => format!("{:.1} s", d.as_secs_f64()),
        _ => format!("{:.1} min", d.as_secs_f64() / 60.0),
    }
}
