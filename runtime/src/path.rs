//! Member paths in error bodies: JSON Pointer (RFC 6901), plus `*` for "each element
//! of an array" (the first element that has the rest of the path wins).
//!
//! A bare name (`message`, no leading `/`) is the top-level member of that name, so
//! the specs written before paths existed keep their meaning. The macro checks every
//! path when the spec is compiled; here they are only read.

/// The `depth`-th segment of `path` (0-based), still escaped (`~0`, `~1`).
pub(crate) fn segment(path: &str, depth: usize) -> Option<&str> {
    match path.strip_prefix('/') {
        Some(pointer) => pointer.split('/').nth(depth),
        None if depth == 0 => Some(path),
        None => None,
    }
}

/// How many segments `path` has.
pub(crate) fn len(path: &str) -> usize {
    match path.strip_prefix('/') {
        Some(pointer) => pointer.split('/').count(),
        None => 1,
    }
}

/// Whether an escaped pointer segment names the member `key`.
pub(crate) fn names(segment: &str, key: &str) -> bool {
    if !segment.contains('~') {
        return segment == key;
    }
    // Rare: compare through the unescaped form (`~1` is `/`, `~0` is `~`).
    let mut rest = key;
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        let want = match (c, c == '~') {
            (_, true) => match chars.next() {
                Some('0') => '~',
                Some('1') => '/',
                _ => return false,
            },
            (c, false) => c,
        };
        match rest.strip_prefix(want) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether a segment selects the array element at `index`: `*` selects each one,
/// digits select that one.
pub(crate) fn selects(segment: &str, index: usize) -> bool {
    segment == "*" || segment.parse::<usize>().is_ok_and(|i| i == index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_of_pointers_and_bare_names() {
        assert_eq!(segment("/error/code", 0), Some("error"));
        assert_eq!(segment("/error/code", 1), Some("code"));
        assert_eq!(segment("/error/code", 2), None);
        assert_eq!(len("/errors/*/extensions/code"), 4);
        assert_eq!(
            (segment("message", 0), len("message")),
            (Some("message"), 1)
        );
        assert_eq!(segment("message", 1), None);
    }

    #[test]
    fn escapes_and_array_selectors() {
        assert!(names("a~1b", "a/b"));
        assert!(names("m~0n", "m~n"));
        assert!(!names("a~1b", "a~1b"));
        assert!(!names("a~2", "a~2"), "an invalid escape names nothing");
        assert!(names("plain", "plain") && !names("plain", "plains"));
        assert!(selects("*", 7) && selects("2", 2) && !selects("2", 1) && !selects("x", 0));
    }
}
