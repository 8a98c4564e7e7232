//! The vendor specs that ship inside this crate, so that any crate can use them by
//! name (`#[api_errors(vendor = "openai")]`, or `spec = "openai.yaml"` when the crate
//! has no file of that name), and the JSON Schema of the format.

/// Every bundled spec: its name (the file name without `.yaml`) and its text.
pub const SPECS: &[(&str, &str)] = &[
    ("amperity", include_str!("../specs/amperity.yaml")),
    ("amplemarket", include_str!("../specs/amplemarket.yaml")),
    ("amplitude", include_str!("../specs/amplitude.yaml")),
    ("anthropic", include_str!("../specs/anthropic.yaml")),
    ("attraqt", include_str!("../specs/attraqt.yaml")),
    ("aws-dynamodb", include_str!("../specs/aws-dynamodb.yaml")),
    ("discord", include_str!("../specs/discord.yaml")),
    ("dropbox", include_str!("../specs/dropbox.yaml")),
    ("github", include_str!("../specs/github.yaml")),
    ("gitlab", include_str!("../specs/gitlab.yaml")),
    ("google", include_str!("../specs/google.yaml")),
    ("jira", include_str!("../specs/jira.yaml")),
    ("kleene", include_str!("../specs/kleene.yaml")),
    ("mailchimp", include_str!("../specs/mailchimp.yaml")),
    (
        "microsoft-graph",
        include_str!("../specs/microsoft-graph.yaml"),
    ),
    ("okta", include_str!("../specs/okta.yaml")),
    ("openai", include_str!("../specs/openai.yaml")),
    ("pagerduty", include_str!("../specs/pagerduty.yaml")),
    ("paypal", include_str!("../specs/paypal.yaml")),
    ("plaid", include_str!("../specs/plaid.yaml")),
    ("sendgrid", include_str!("../specs/sendgrid.yaml")),
    ("shopify", include_str!("../specs/shopify.yaml")),
    ("slack", include_str!("../specs/slack.yaml")),
    ("stripe", include_str!("../specs/stripe.yaml")),
    ("twilio", include_str!("../specs/twilio.yaml")),
    ("zendesk", include_str!("../specs/zendesk.yaml")),
];

/// The JSON Schema of the spec format (draft 7).
pub const SCHEMA: &str = include_str!("../specs/api-errors.schema.json");

/// The bundled spec named `name` (`openai`), or one whose file name is `name`
/// (`openai.yaml`).
pub fn find(name: &str) -> Option<(&'static str, &'static str)> {
    let stem = name.strip_suffix(".yaml").unwrap_or(name);
    SPECS.iter().copied().find(|(n, _)| *n == stem)
}

/// The bundled names, for messages.
pub fn names() -> String {
    SPECS
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_in_the_folder_is_bundled() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix(".yaml").map(str::to_owned)
            })
            .collect();
        on_disk.sort();
        let bundled: Vec<&str> = SPECS.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, bundled, "add the new spec to `SPECS`");
        assert_eq!(find("openai.yaml").map(|(n, _)| n), Some("openai"));
        assert!(find("nope").is_none());
    }

    #[test]
    fn every_bundled_spec_is_valid() {
        for (name, text) in SPECS {
            let (spec, tree) = crate::spec::load(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            for (api, _) in &spec.apis.0 {
                crate::validate::validate(&spec, Some(api), &tree)
                    .unwrap_or_else(|e| panic!("{name} {api}: {:?}", e.spec));
            }
        }
    }
}
