//! Member paths in error bodies arrive split into steps by the macro (see
//! [`MemberPath`](crate::body::MemberPath)); what is left to decide here is which
//! array elements a step selects.

/// Whether a segment selects the array element at `index`: `*` selects each one,
/// digits select that one.
pub(crate) fn selects(segment: &str, index: usize) -> bool {
    segment == "*" || segment.parse::<usize>().is_ok_and(|i| i == index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_selectors() {
        assert!(selects("*", 7) && selects("2", 2) && !selects("2", 1) && !selects("x", 0));
    }
}
