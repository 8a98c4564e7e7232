//! The `api-errors` tool: `check`, `doc`, `import-openapi` and `schema`, through
//! `api_errors_cli::run` (the binary's whole body) with the real files.

use std::path::{Path, PathBuf};

use api_errors::{api_errors, RetryHint};
use api_errors_cli::{run, FAILED, OK, USAGE};

fn here(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the tool: (exit status, standard output, standard error).
fn tool(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("api-errors-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_passes_every_shipped_spec() {
    let specs: Vec<String> = std::fs::read_dir(here("../spec/specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(specs.len() >= 12);
    let mut args = vec!["check"];
    args.extend(specs.iter().map(String::as_str));
    let (code, out, err) = tool(&args);
    assert_eq!((code, err.as_str()), (OK, ""));
    assert_eq!(
        out.lines().filter(|l| l.contains(": ok (")).count(),
        specs.len()
    );
    assert!(
        out.contains("amplitude.yaml: ok (5 APIs, 12 entries)"),
        "{out}"
    );
}

#[test]
fn check_shows_each_problem_at_its_line_with_a_caret() {
    let spec = temp(
        "broken.yaml",
        "vendor: V\nbody:\n  format: object\n  code: error.code\napis:\n  main:\n    title: Main\n    errors:\n      - status: 99\n        meaning: Odd.\n",
    );
    let path = spec.display().to_string();
    let (code, out, err) = tool(&["check", &path]);
    assert_eq!(code, FAILED);
    assert_eq!(out, "");
    // The dotted path, located at its value, with the line and a caret under it.
    assert!(
        err.contains(&format!(
            " --> {path}:4:9\n  |\n4 |   code: error.code\n  |         ^\n"
        )),
        "{err}"
    );
    assert!(
        err.contains("write the JSON Pointer `/error/code`"),
        "{err}"
    );
    // The status out of range, on its own line.
    assert!(err.contains(&format!(" --> {path}:9:")), "{err}");
    assert!(err.contains("9 |       - status: 99\n"), "{err}");
    assert!(err.ends_with(&format!("{path}: 2 problems\n")), "{err}");
    // The same text, the same diagnostics as the macro gives (one implementation).
    let text = std::fs::read_to_string(&spec).unwrap();
    let problems = match api_errors_spec::spec::load(&text) {
        Ok((s, tree)) => {
            api_errors_spec::validate::validate(&s, Some("main"), &tree)
                .unwrap_err()
                .spec
        }
        Err(p) => p,
    };
    for d in &problems {
        assert!(err.contains(&d.message), "{}", d.message);
    }
}

#[test]
fn check_reports_yaml_syntax_unreadable_files_and_keeps_going() {
    let bad = temp("syntax.yaml", "vendor: V\napis: [\n");
    let good = here("../spec/specs/jira.yaml");
    let missing = here("no-such-spec.yaml");
    let (code, out, err) = tool(&[
        "check",
        &bad.display().to_string(),
        &missing.display().to_string(),
        &good.display().to_string(),
    ]);
    assert_eq!(code, FAILED);
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(err.contains("cannot open"), "{err}");
    assert!(out.contains("jira.yaml: ok"), "{out}");
    let binary = temp("binary.yaml", "");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let (code, _, err) = tool(&["check", &binary.display().to_string()]);
    assert_eq!(code, FAILED);
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn terminal_control_characters_in_a_spec_are_not_echoed() {
    let spec = temp(
        "escape.yaml",
        "vendor: V\napis: {}\nextra: \"\u{1b}[31m\"\n",
    );
    let (code, _, err) = tool(&["check", &spec.display().to_string()]);
    assert_eq!(code, FAILED);
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn command_line_mistakes_are_usage_errors() {
    for (args, says) in [
        (vec![], "Usage:"),
        (vec!["chek", "x.yaml"], "did you mean `check`?"),
        (vec!["check"], "at least one spec file"),
        (vec!["check", "--fix", "a.yaml"], "no option `--fix`"),
        (vec!["doc"], "needs a spec file"),
        (vec!["doc", "a.yaml", "b.yaml"], "one spec file"),
        (vec!["doc", "a.yaml", "--api"], "needs an API key"),
        (vec!["import-openapi"], "one OpenAPI document"),
        (vec!["schema", "extra"], "takes no arguments"),
    ] {
        let (code, out, err) = tool(&args);
        assert_eq!((code, out.as_str()), (USAGE, ""), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, out, _) = tool(&["--help"]);
    assert_eq!(code, OK);
    assert!(out.contains("import-openapi FILE"));
}

#[test]
fn doc_writes_one_table_per_api() {
    let spec = here("../spec/specs/amplitude.yaml").display().to_string();
    let (code, out, err) = tool(&["doc", &spec]);
    assert_eq!((code, err.as_str()), (OK, ""));
    assert_eq!(
        out.matches("| Status | Code | Variant |").count(),
        5,
        "{out}"
    );
    let (code, out, _) = tool(&["doc", &spec, "--api", "batch"]);
    assert_eq!(code, OK);
    assert_eq!(out.matches("| Status |").count(), 1);
    assert!(out.starts_with("## Amplitude: "), "{out}");
    // The Batch API's 429 demands a 30 s minimum wait (the spec's retry mapping).
    let row = out.lines().find(|l| l.starts_with("| 429 |")).unwrap();
    assert!(row.contains("at least 30 s"), "{row}");
    let (code, _, err) = tool(&["doc", &spec, "--api", "nope"]);
    assert_eq!(code, USAGE);
    assert!(
        err.contains("no API `nope`") && err.contains("`batch`"),
        "{err}"
    );
}

#[test]
fn doc_says_which_entries_keep_the_class_default() {
    let spec = temp(
        "defaults.yaml",
        "vendor: V\napis:\n  main:\n    title: Main\n    errors:\n      - status: 404\n        meaning: Gone | missing.\n      - status: 503\n        meaning: Down.\n      - status: 409\n        code: busy\n        meaning: Busy.\n        retry: { when: idempotent, fallback: 2s, backoff: { cap: 1m } }\n",
    );
    let (code, out, _) = tool(&["doc", &spec.display().to_string()]);
    assert_eq!(code, OK);
    assert!(
        out.contains("| 404 |  | `NotFound` | Gone \\| missing. |  | never (class default) |"),
        "{out}"
    );
    assert!(
        out.contains("| `ServiceUnavailable` | Down. |  | backoff (class default) |"),
        "{out}"
    );
    assert!(
        out.contains("| 409 | `busy` | `Busy` | Busy. |  | retry if idempotent; 2 s when the server states none, doubling up to 1 min |"),
        "{out}"
    );
}

#[test]
fn doc_shows_the_limits() {
    let spec = here("../spec/specs/github.yaml").display().to_string();
    let (code, out, _) = tool(&["doc", &spec]);
    assert_eq!(code, OK);
    assert!(
        out.contains("Documented limits: at least 1 s between requests (writes)."),
        "{out}"
    );
    assert!(
        out.contains("Rate-limit headers: remaining `x-ratelimit-remaining`, limit `x-ratelimit-limit`, reset `x-ratelimit-reset` (epoch_seconds);"),
        "{out}"
    );
}

#[test]
fn doc_shows_statuses_headers_and_the_sdk_defaults() {
    let spec = here("tests/specs/statuses.yaml").display().to_string();
    let (code, out, err) = tool(&["doc", &spec]);
    assert_eq!((code, err.as_str()), (OK, ""));
    assert!(
        out.contains("| 400, 412 | `FAILED_PRECONDITION` |"),
        "{out}"
    );
    assert!(out.contains("| 5xx |  | `ServerError` |"), "{out}");
    assert!(out.contains("| 502-504 |  | `GatewayError` |"), "{out}");
    assert!(
        out.contains("| 403 | header `x-ratelimit-remaining: 0` | `PrimaryRateLimit` |"),
        "{out}"
    );
    let spec = here("tests/specs/client.yaml").display().to_string();
    let (code, out, _) = tool(&["doc", &spec, "--api", "main"]);
    assert_eq!(code, OK);
    assert!(
        out.contains("SDK retry defaults (example-sdk 1.2): 4 attempts, backoff from 500 ms doubling to 5 s, each delay times a factor in [0.5, 1], at least 500 ms, waits up to 1 min (longer: backoff);"),
        "{out}"
    );
}

#[test]
fn the_vendor_pages_are_in_sync_with_the_bundled_specs() {
    let specs = here("../spec/specs");
    let pages = here("../docs/vendors");
    let mut names: Vec<String> = std::fs::read_dir(&specs)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "yaml").then_some(stem)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 16, "{names:?}");
    for name in &names {
        let spec = specs.join(format!("{name}.yaml")).display().to_string();
        let (code, out, err) = tool(&["doc", &spec]);
        assert_eq!((code, err.as_str()), (OK, ""), "{name}");
        let page = std::fs::read_to_string(pages.join(format!("{name}.md"))).unwrap_or_else(|_| {
            panic!("docs/vendors/{name}.md is missing: run `python3 scripts/vendor_docs.py`")
        });
        assert!(
            page == out,
            "docs/vendors/{name}.md is stale: run `python3 scripts/vendor_docs.py`"
        );
    }
    let index = std::fs::read_to_string(pages.join("README.md")).unwrap();
    for name in &names {
        assert!(
            index.contains(&format!("[`{name}`]({name}.md)")),
            "{name} is not in docs/vendors/README.md"
        );
    }
}

/// The class default the tool documents is the runtime's.
#[test]
fn class_default_agrees_with_the_runtime() {
    for status in 0..=1000u16 {
        assert_eq!(
            api_errors_spec::model::RETRIED_BY_DEFAULT.contains(&status),
            RetryHint::retries_by_default(status),
            "{status}"
        );
    }
}

#[test]
fn schema_prints_the_bundled_json_schema() {
    let (code, out, _) = tool(&["schema"]);
    assert_eq!(code, OK);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out, api_errors::spec_schema!());
    assert!(schema["properties"]["apis"].is_object());
}

/// Both published documents give, unchanged, the committed skeletons; each passes
/// `check` (and compiles with the macro: the enums below).
#[test]
fn published_openapi_documents_import_to_checked_skeletons() {
    for (doc, skeleton) in [
        (
            "data/openapi/discord.openapi.json",
            "tests/specs/openapi/discord.yaml",
        ),
        (
            "data/openapi/openai.openapi.yaml",
            "tests/specs/openapi/openai.yaml",
        ),
    ] {
        let (code, out, _) = tool(&["import-openapi", &here(doc).display().to_string()]);
        assert_eq!(code, OK, "{doc}");
        let want = std::fs::read_to_string(here(skeleton)).unwrap();
        assert!(
            out == want,
            "{doc} no longer imports to {skeleton}; if the change is intended, regenerate it with `cargo run -p api-errors-cli -- import-openapi tests/{doc} > tests/{skeleton}`"
        );
        let (code, out, err) = tool(&["check", &here(skeleton).display().to_string()]);
        assert_eq!((code, err.as_str()), (OK, ""), "{out}");
    }
}

#[api_errors(spec = "specs/openapi/discord.yaml")]
pub enum DiscordImported {}

#[api_errors(spec = "specs/openapi/openai.yaml")]
pub enum OpenAiImported {}

#[test]
fn imported_skeletons_compile_and_decode() {
    use api_errors::ApiError;
    // Discord's skeleton: its one status and its `4XX` class, body members and
    // body wait.
    assert_eq!(
        DiscordImported::ALL,
        [
            DiscordImported::OtherClientError,
            DiscordImported::TooManyRequests
        ]
    );
    let e = ApiError::<DiscordImported>::from_response(
        429,
        &(),
        br#"{"message":"You are being rate limited.","retry_after":1.5,"global":false,"code":0}"#,
    );
    assert_eq!(e.message(), Some("You are being rate limited."));
    assert_eq!(
        e.retry_after(),
        Some(std::time::Duration::from_millis(1500))
    );
    // The class default, as marked: 429 backs off; the `4XX` class entry holds
    // the other client errors, not retried until a human says otherwise.
    assert!(e.kind().is_retryable());
    assert_eq!(
        DiscordImported::from_status(403),
        DiscordImported::OtherClientError
    );
    assert!(!DiscordImported::OtherClientError.is_retryable());
    // OpenAI's: the nested error object.
    let e = ApiError::<OpenAiImported>::from_response(
        400,
        &(),
        br#"{"error":{"message":"bad","type":"invalid_request_error","code":"x"}}"#,
    );
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (OpenAiImported::BadRequest, Some("x"), Some("bad"))
    );
    assert!(!OpenAiImported::BadRequest.is_retryable());
}

#[test]
fn import_follows_refs_ranges_headers_and_problem_bodies() {
    let doc = r##"
openapi: 3.0.3
info: { title: "Shop \"Admin\" API", version: "1" }
paths:
  /orders:
    get:
      responses:
        "200": { description: fine }
        "404": { $ref: "#/components/responses/Missing" }
        "429": { $ref: "#/components/responses/Limited" }
        "5XX": { description: Server trouble }
        default: { description: Anything else }
    post:
      responses:
        "404": { description: "No such order" }
        "503":
          description: "Down | for maintenance"
          headers:
            Retry-After-Ms: { schema: { type: integer }, description: milliseconds to wait }
  /loop:
    $ref: "#/components/pathItems/Loop"
components:
  pathItems:
    Loop: { $ref: "#/components/pathItems/Loop" }
  responses:
    Missing: { $ref: "#/components/responses/Missing2" }
    Missing2:
      description: Not here
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Errors" }
    Limited:
      description: Slow down
      headers:
        X-Reset: { schema: { type: string, format: date-time }, description: when the window resets }
        X-Left: { schema: { type: integer }, description: requests remaining }
        X-Remaining: { schema: { type: integer } }
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Errors" }
  schemas:
    Errors:
      type: object
      properties:
        errors:
          type: array
          items:
            type: object
            properties:
              code: { type: string }
              message: { type: string }
        retry_after_ms: { type: number }
"##;
    let import = api_errors_cli::openapi::import(doc, "shop.yaml").unwrap();
    let s = &import.spec;
    assert!(s.contains("vendor: \"Shop \\\"Admin\\\" API\""), "{s}");
    // Codes inside the error array: the array is the path's `*`.
    assert!(
        s.contains("  code: \"/errors/*/code\"\n  message: \"/errors/*/message\"\n"),
        "{s}"
    );
    // Waits: the standard-less ms header, the date-time reset gated on the remaining count.
    assert!(
        s.contains("header: \"Retry-After-Ms\", format: milliseconds"),
        "{s}"
    );
    assert!(
        s.contains("header: \"X-Reset\", format: timestamp, only_if: { header: \"X-Remaining\", equals: \"0\" }"),
        "{s}"
    );
    // Each status once, meanings from descriptions (the most used first), ranges noted.
    assert!(
        s.contains("      - status: 404\n        meaning: \"Not Found: Not here\"\n"),
        "{s}"
    );
    assert!(s.contains("# Also described (1x) as: No such order"), "{s}");
    assert!(
        s.contains("meaning: \"Service Unavailable: Down | for maintenance\""),
        "{s}"
    );
    // `5XX` is a class entry; `default` beside it is only noted.
    assert!(
        s.contains("      - status: 5xx\n        name: OtherServerError\n        meaning: \"A server error: Server trouble\"\n        retry: idempotent  # CONFIRM"),
        "{s}"
    );
    assert!(
        s.contains("# `default` (1 operation): Anything else -- any other status"),
        "{s}"
    );
    assert!(!s.contains("status: 200"));
    // And it is a spec the macro's checks accept.
    let path = temp("shop.yaml", s);
    let (code, out, err) = tool(&["check", &path.display().to_string()]);
    assert_eq!((code, err.as_str()), (OK, ""), "{out}");
    // Problem bodies are the standard shape.
    let problem = doc.replace("application/json", "application/problem+json");
    let s = api_errors_cli::openapi::import(&problem, "p.yaml")
        .unwrap()
        .spec;
    assert!(s.contains("body:\n  format: problem"), "{s}");
}

#[test]
fn import_refuses_what_is_not_openapi() {
    let err = |text: &str| api_errors_cli::openapi::import(text, "x").unwrap_err();
    assert!(err("swagger: \"1.2\"\npaths: {}\n").contains("other than 2.0"));
    assert!(err("{\"hello\": 1}").contains("not an OpenAPI document"));
    assert!(err("a: [\n").contains("invalid YAML"));
    // A document with no error response imports, with a note that it needs an entry.
    let none = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: fine}\n";
    let import = api_errors_cli::openapi::import(none, "r.yaml").unwrap();
    assert!(import
        .notes
        .iter()
        .any(|n| n.contains("no error response at all")));
    assert!(import.spec.contains("errors: []"));
    let (code, _, err) = tool(&[
        "import-openapi",
        &here("no-such.yaml").display().to_string(),
    ]);
    assert_eq!(code, FAILED);
    assert!(err.contains("cannot open"), "{err}");
}

/// Imports `doc`, checks the skeleton, and returns it.
fn imported_and_checked(doc: &str, name: &str) -> String {
    let import = api_errors_cli::openapi::import(doc, name).unwrap();
    let path = temp(name, &import.spec);
    let (code, out, err) = tool(&["check", &path.display().to_string()]);
    assert_eq!((code, err.as_str()), (OK, ""), "{out}\n{}", import.spec);
    import.spec
}

#[test]
fn import_reads_any_media_type_default_only_documents_and_correlation_ids() {
    // `*/*` (one vendor's published documents) and `application/*+json`; a
    // correlation id by its description; every error `default`.
    let doc = r##"
openapi: 3.0.1
info: { title: Star, version: "1" }
paths:
  /a:
    get:
      responses:
        default:
          description: Error
          content:
            "*/*":
              schema: { $ref: "#/components/schemas/Err" }
  /b:
    get:
      responses:
        default:
          description: Error
          content:
            "application/vnd.star+json":
              schema: { $ref: "#/components/schemas/Err" }
components:
  schemas:
    Err:
      type: object
      properties:
        message: { type: string }
        errors: { type: array, items: { type: string } }
        correlationId: { type: string, description: Identifies the request for support. }
"##;
    let s = imported_and_checked(doc, "star.yaml");
    assert!(s.contains("  message: \"/message\"\n"), "{s}");
    assert!(s.contains("  request_id: \"/correlationId\"\n"), "{s}");
    assert!(s.contains("  details: \"/errors\"\n"), "{s}");
    assert!(s.contains("      - status: 4xx\n        name: OtherClientError\n        meaning: \"A client error: Error\"\n        retry: never"), "{s}");
    assert!(
        s.contains("      - status: 5xx\n        name: OtherServerError"),
        "{s}"
    );
}

#[test]
fn import_reads_swagger_2() {
    let doc = std::fs::read_to_string(here("tests/specs/openapi/swagger2.yaml")).unwrap();
    let s = imported_and_checked(&doc, "swagger2.yaml");
    assert!(
        s.contains("source: \"OpenAPI document swagger2.yaml, version 2.1\""),
        "{s}"
    );
    // `definitions` through `$ref`, the response's own `schema`, `#/responses/...`.
    assert!(s.contains("  code: \"/error/code\"\n"), "{s}");
    assert!(s.contains("  message: \"/error/message\"\n"), "{s}");
    assert!(s.contains("  request_id: \"/error/trace_id\"\n"), "{s}");
    assert!(s.contains("      - status: 404\n"), "{s}");
    assert!(s.contains("      - status: 429\n"), "{s}");
    assert!(s.contains("      - status: 5xx\n"), "{s}");
    // A Swagger 2.0 header's format sits on the header itself.
    assert!(
        s.contains("header: \"X-Rate-Limit-Reset\", format: timestamp"),
        "{s}"
    );
}

#[test]
fn the_readmes_spec_example_passes_check() {
    let readme = std::fs::read_to_string(here("../README.md")).unwrap();
    let section = readme
        .split("## What a spec can say")
        .nth(1)
        .expect("README has the section");
    let yaml = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section has a yaml block");
    let path = temp("readme_example.yaml", yaml);
    let (code, out, err) = tool(&["check", &path.display().to_string()]);
    assert_eq!((code, err.as_str()), (OK, ""), "{out}");
    assert!(out.contains("ok (1 API, 5 entries)"), "{out}");
}

/// Many problems are shown as the macro shows them: the first 50, then a count.
/// (The text is split into lines once: 30,000 problems render in linear time.)
#[test]
fn check_caps_the_problems_it_shows_and_counts_the_rest() {
    let mut text = String::from("vendor: V\napis:\n  main:\n    title: Main\n    errors:\n");
    for _ in 0..3_000 {
        text.push_str("      - { status: 1000, meaning: m }\n");
    }
    let spec = temp("many.yaml", &text);
    let (code, _, err) = tool(&["check", &spec.display().to_string()]);
    assert_eq!(code, FAILED);
    assert_eq!(err.matches("error: status 1000 is outside").count(), 50);
    assert!(
        err.contains("... and 2950 more problems"),
        "{}",
        &err[err.len() - 300..]
    );
    assert!(
        err.ends_with("many.yaml: 3000 problems\n"),
        "{}",
        &err[err.len() - 100..]
    );
    // The lines shown are each problem's own.
    assert!(
        err.contains("55 |       - { status: 1000, meaning: m }"),
        "{}",
        &err[..2000]
    );
}

/// A file that is no YAML (control characters, as in `/proc/self/environ`) is named,
/// and nothing of it is shown.
#[test]
fn check_echoes_nothing_of_a_file_that_is_not_yaml() {
    let spec = temp("environ", "SECRET=hunter2\0PATH=/usr/bin\0");
    let (code, _, err) = tool(&["check", &spec.display().to_string()]);
    assert_eq!(code, FAILED);
    assert!(
        err.contains("a character that YAML does not allow"),
        "{err}"
    );
    assert!(!err.contains("hunter2") && !err.contains("SECRET"), "{err}");
    let spec = temp("token.yaml", "TOKEN=abc123");
    let (_, _, err) = tool(&["check", &spec.display().to_string()]);
    assert!(
        err.contains("this file is not a spec: a spec is a YAML mapping"),
        "{err}"
    );
}

/// A schema that a combinator names many times, or that names itself, is read once:
/// `G: {allOf: [$ref G] x 64}` (exponential to walk naively: 1.7 s at 12, minutes at
/// 16) imports at once.
#[test]
fn import_reads_each_schema_once_whatever_its_fan_out() {
    let refs = vec![r##"{"$ref":"#/components/schemas/G"}"##; 64].join(",");
    let doc = format!(
        r##"{{"openapi":"3.0.0","info":{{"title":"T","version":"1"}},"paths":{{"/x":{{"get":{{"responses":{{"400":{{"description":"bad","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/F"}}}}}}}}}}}}}}}},"components":{{"schemas":{{"F":{{"type":"object","properties":{{"message":{{"type":"string"}}}},"allOf":[{refs}]}},"G":{{"allOf":[{refs}]}}}}}}}}"##
    );
    let file = temp("fan-out.json", &doc);
    let (code, out, err) = tool(&["import-openapi", &file.display().to_string()]);
    assert_eq!(code, OK, "{err}");
    assert!(out.contains("message: \"/message\""), "{out}");
}

/// What the import does not carry over, it says: every schema member not mapped,
/// every `enum`; a member whose schema fixes one value is not an identity; meanings
/// are the status's own phrase, then the description most operations give.
#[test]
fn import_says_what_it_leaves_out() {
    let doc = r##"
openapi: 3.1.0
info: { title: Files, version: "2" }
paths:
  /files/{id}:
    get:
      responses:
        "404":
          description: Returned if the file is not found
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
components:
  schemas:
    Error:
      type: object
      properties:
        type: { type: string, const: error }
        code: { type: string, enum: [item_not_found, forbidden, rate_limited] }
        message: { type: string }
        help_url: { type: string, description: A page about this error }
        context_info: { type: object, properties: { conflicts: { type: array } } }
"##;
    let import = api_errors_cli::openapi::import(doc, "files.yaml").unwrap();
    let (s, notes) = (&import.spec, import.notes.join("\n"));
    assert!(
        s.contains("meaning: \"Not Found: Returned if the file is not found\""),
        "{s}"
    );
    assert!(
        !s.contains("type: \"/type\""),
        "a fixed `type` is not an identity: {s}"
    );
    assert!(s.contains("code: \"/code\""), "{s}");
    assert!(
        s.contains("#   item_not_found, forbidden, rate_limited"),
        "{s}"
    );
    for said in [
        "member /help_url (A page about this error) is not carried over; `extra: { help_url: /help_url }` would",
        "member /context_info is not carried over; `details: /context_info` (raw JSON)",
        "member /type is not carried over (its schema allows one value only",
        "the schema lists 3 values for the code at /code",
    ] {
        assert!(notes.contains(said), "{said}\n{notes}");
    }
    // Still a spec the checks accept.
    let path = temp("files.yaml", s);
    let (code, _, err) = tool(&["check", &path.display().to_string()]);
    assert_eq!((code, err.as_str()), (OK, ""));
}

#[test]
fn import_lists_an_error_types_values_in_the_skeleton_as_it_says() {
    // Plaid's shape: a code without an enum, a type with one.
    let doc = r##"openapi: 3.0.0
info: { title: Items, version: "1" }
paths:
  /items:
    post:
      responses:
        "400":
          description: Invalid request
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
components:
  schemas:
    Error:
      type: object
      properties:
        error_type: { type: string, enum: [INVALID_REQUEST, ITEM_ERROR, RATE_LIMIT_EXCEEDED] }
        error_code: { type: string }
        error_message: { type: string }
"##;
    let import = api_errors_cli::openapi::import(doc, "items.yaml").unwrap();
    let (s, notes) = (&import.spec, import.notes.join("\n"));
    assert!(
        notes.contains("the schema lists 3 values for the type at /error_type; they are in a comment of the skeleton"),
        "{notes}"
    );
    assert!(
        s.contains("values for the type; each can be an entry (`type:`"),
        "{s}"
    );
    assert!(
        s.contains("#   INVALID_REQUEST, ITEM_ERROR, RATE_LIMIT_EXCEEDED"),
        "{s}"
    );
    let path = temp("items.yaml", s);
    let (code, _, err) = tool(&["check", &path.display().to_string()]);
    assert_eq!((code, err.as_str()), (OK, ""));
}
