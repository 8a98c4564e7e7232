//! `import-openapi` on the larger published document (OpenAI's, 3 MB of YAML), and
//! on generated documents of 1x, 2x and 4x a base size, to show the time grows in
//! step with the size. Ratios go in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// An OpenAPI document with `n` operations, each with its own error schema in
/// `components` (so `$ref` lookups meet a `components` that grows with the size).
fn generated(n: usize) -> String {
    let mut s = String::from("openapi: 3.1.0\ninfo: {title: Generated, version: '1'}\npaths:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  /things/{i}:\n    get:\n      description: Reads thing {i}, with a long enough description to look like a real one.\n      responses:\n        '200': {{description: ok}}\n        '404': {{$ref: '#/components/responses/Missing{i}'}}\n        '429':\n          description: Slow down\n          headers:\n            Retry-After: {{schema: {{type: integer}}}}\n"
        ));
    }
    s.push_str("components:\n  responses:\n");
    for i in 0..n {
        s.push_str(&format!(
            "    Missing{i}:\n      description: Thing {i} is missing\n      content:\n        application/json:\n          schema: {{$ref: '#/components/schemas/Error{i}'}}\n"
        ));
    }
    s.push_str("  schemas:\n");
    for i in 0..n {
        s.push_str(&format!(
            "    Error{i}:\n      type: object\n      properties:\n        error:\n          type: object\n          properties:\n            code: {{type: string}}\n            message: {{type: string}}\n"
        ));
    }
    s
}

fn import(c: &mut Criterion) {
    let openai = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/openapi/openai.openapi.yaml"
    ))
    .unwrap();
    let mut g = c.benchmark_group("import_openapi");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(openai.len() as u64));
    g.bench_function("openai_3MB", |b| {
        b.iter(|| {
            api_errors_cli::openapi::import(black_box(&openai), "openai.openapi.yaml").unwrap()
        })
    });
    for scale in [1, 2, 4] {
        let doc = generated(2000 * scale);
        g.throughput(Throughput::Bytes(doc.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("generated", format!("{scale}x")),
            &doc,
            |b, doc| b.iter(|| api_errors_cli::openapi::import(black_box(doc), "g.yaml").unwrap()),
        );
    }
    g.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
