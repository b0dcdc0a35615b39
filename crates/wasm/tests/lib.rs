//! The shared pieces of the exports: packed results and handles.

use kader_wasm::*;

#[test]
fn packed_results_round_trip() {
    let packed = give("héllo".to_string());
    let (ptr, len) = (
        (packed >> 32) as usize as *mut u8,
        (packed & 0xffff_ffff) as usize,
    );
    // Natively pointers can exceed 32 bits; only check the length here.
    assert_eq!(len, "héllo".len());
    let _ = ptr;
}

#[test]
fn handles_are_reused_and_unknown_ones_are_none() {
    let mut t = Handles::new();
    let (a, b) = (t.insert("a"), t.insert("b"));
    assert_eq!((a, b), (1, 2));
    assert_eq!(t.remove(a), Some("a"));
    assert_eq!(t.remove(a), None);
    assert_eq!(t.get_mut(0), None);
    assert_eq!(t.insert("c"), 1);
    assert_eq!(t.get_mut(2), Some(&mut "b"));
}
