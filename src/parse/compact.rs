//! Giving back the room that strings and lists grew into: a parsed site is
//! kept whole until it is rendered, and a string grown by doubling is on
//! average a third larger than its text. `shrink_to_fit` does not help
//! here: the allocator keeps a block that shrinks by less than half where
//! it is, so the text is copied into a block of its own size instead.

/// Spare room worth a copy: more than an eighth of the length, and more
/// than a small allocation's rounding.
fn is_loose(len: usize, capacity: usize) -> bool {
    let spare = capacity - len;
    spare > 16 && spare > len / 8
}

/// Moves `s` into a block of its length when it has much room to spare.
pub fn string(s: &mut String) {
    if is_loose(s.len(), s.capacity()) {
        *s = s.as_str().to_owned();
    }
}

/// Moves the items of `v` into a block of their number when it has much
/// room to spare.
pub fn vec<T>(v: &mut Vec<T>) {
    let size = std::mem::size_of::<T>();
    if size > 0 && is_loose(v.len() * size, v.capacity() * size) {
        let mut exact = Vec::with_capacity(v.len());
        exact.append(v);
        *v = exact;
    }
}

/// Moves the entries of `map` into a map of their number when it has much
/// room to spare.
pub fn map<K: std::hash::Hash + Eq, V>(map: &mut indexmap::IndexMap<K, V>) {
    let entry = std::mem::size_of::<(u64, K, V)>();
    if is_loose(map.len() * entry, map.capacity() * entry) {
        *map = std::mem::take(map).into_iter().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loose_string_is_copied_into_a_block_of_its_length() {
        let mut s = String::with_capacity(1000);
        s.push_str("systeemrisico");
        string(&mut s);
        assert_eq!(s, "systeemrisico");
        assert_eq!(s.capacity(), s.len());
    }

    #[test]
    fn a_nearly_full_string_is_left_where_it_is() {
        let mut s = String::with_capacity(200);
        s.push_str(&"a".repeat(190));
        string(&mut s);
        assert_eq!(s.capacity(), 200);
    }

    #[test]
    fn a_loose_list_keeps_its_items_in_order() {
        let mut v: Vec<String> = Vec::with_capacity(64);
        v.extend(["a", "b", "c"].map(String::from));
        vec(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
        assert_eq!(v.capacity(), 3);
    }

    #[test]
    fn a_loose_map_keeps_its_entries_in_order() {
        let mut m: indexmap::IndexMap<String, u32> = indexmap::IndexMap::with_capacity(64);
        m.insert("rollen".into(), 1);
        m.insert("bouwblok".into(), 2);
        map(&mut m);
        assert_eq!(m.keys().collect::<Vec<_>>(), ["rollen", "bouwblok"]);
        assert!(m.capacity() < 64);
    }
}
