//! The server the integration examples call: on 127.0.0.1 (an ephemeral port),
//! answering request `n` (from 1) with `reply(n)`, and counting requests. Plain
//! HTTP/1.1 over tokio, one response per connection (no server crate needed).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A reply: status, an optional `Retry-After` value, body.
pub type Reply = (u16, Option<&'static str>, &'static str);

pub struct Scripted {
    pub url: String,
    hits: Arc<AtomicU32>,
}

impl Scripted {
    /// Requests answered so far.
    pub fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Starts the server; requests to any path reach `reply`.
pub async fn start(reply: fn(u32) -> Reply) -> std::io::Result<Scripted> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let hits = Arc::new(AtomicU32::new(0));
    let served = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let served = served.clone();
            tokio::spawn(async move {
                // The request's head, bounded; the examples send no bodies worth reading.
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 65_536 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let (status, retry_after, body) = reply(served.fetch_add(1, Ordering::SeqCst) + 1);
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
                if let Some(wait) = retry_after {
                    head.push_str(&format!("retry-after: {wait}\r\n"));
                }
                head.push_str("\r\n");
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
            });
        }
    });
    Ok(Scripted { url, hits })
}
