//! The server both layer benchmarks call: on 127.0.0.1, on its own thread and
//! runtime, answering every request `200 {"ok":true}`.

/// Starts the server; its URL.
pub fn start() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().fallback(|| async { r#"{"ok":true}"# });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}/", listener.local_addr().unwrap()))
                .unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// One GET through a tower service of `http` requests; the body it read.
pub async fn fetch<S, B>(service: &mut S, url: &str) -> bytes::Bytes
where
    S: tower_service::Service<
        http::Request<http_body_util::Full<bytes::Bytes>>,
        Response = http::Response<B>,
    >,
    S::Error: std::fmt::Debug,
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    use http_body_util::BodyExt;
    let request = http::Request::get(url)
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .unwrap();
    let response = service.call(request).await.unwrap();
    response.into_body().collect().await.unwrap().to_bytes()
}
