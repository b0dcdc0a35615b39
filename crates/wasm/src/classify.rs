//! Decision-tree exports of `kader-classify` behind a raw C ABI (see the
//! crate docs for the memory conventions). Each export reads its JSON input
//! with serde_json, calls [`Widget`] or [`ApplicableRequest`] and writes the
//! result as JSON; no function traps on any input.
//!
//! ```text
//! h = classify_open(bundle)        // {tree, categories?, definitions?, labelMap?, lang}; 0 if unusable
//! classify_state(h)                // {ok:true, state}
//! classify_answer(h, index)        // {ok:true, state} | {ok:false, error, state}
//! classify_answer_value(h, input)  // {"value":"3e25"}, or for compute questions the
//!                                  //  estimator {"method":"parameters","parameters":…,"tokens":…}
//! classify_back(h) / classify_restart(h) / classify_jump(h, step) / classify_close(h)
//! classify_restore(h, steps)       // [0, {"value":3e25}, 2]; error.step: the first that does not fit
//! classify_estimate(h, input)      // {ok, estimate} | {ok:false, error} (error.field names the field)
//! classify_applicable(input)       // {profile, pages, taxonomies?} -> {ok, results}
//! ```

use kader_classify::compute::EstimateRequest;
use kader_classify::view::{ApplicableRequest, Bundle, ErrorView, Widget};
use kader_classify::{Lang, Step};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::cell::RefCell;

use crate::{give, text, Handles};

thread_local! {
    static WIDGETS: RefCell<Handles<Widget>> = const { RefCell::new(Handles::new()) };
}

fn bad_json(lang: Lang) -> ErrorView {
    let (nl, en) = (
        "De invoer is geen geldige JSON van de verwachte vorm.",
        "The input is not valid JSON of the expected shape.",
    );
    ErrorView::new("json", nl, en, lang)
}

fn read<T: DeserializeOwned>(input: &str, lang: Lang) -> Result<T, ErrorView> {
    serde_json::from_str(input).map_err(|_| bad_json(lang))
}

/// Runs `f` on widget `h`: `{ok, state}`, with `error` when `f` failed.
pub fn step(h: u32, f: impl FnOnce(&mut Widget) -> Result<(), ErrorView>) -> String {
    WIDGETS.with(|w| {
        let mut w = w.borrow_mut();
        let v = match w.get_mut(h) {
            None => {
                let (nl, en) = (
                    "Deze sessie bestaat niet (meer).",
                    "This session does not exist.",
                );
                json!({ "ok": false, "error": ErrorView::new("handle", nl, en, Lang::Nl) })
            }
            Some(widget) => match f(widget) {
                Ok(()) => json!({ "ok": true, "state": widget.state() }),
                Err(e) => json!({ "ok": false, "error": e, "state": widget.state() }),
            },
        };
        v.to_string()
    })
}

/// Opens a widget on a bundle: its handle, or 0.
pub fn open(bundle: &str) -> u32 {
    match serde_json::from_str::<Bundle>(bundle)
        .ok()
        .and_then(Widget::open)
    {
        Some(w) => WIDGETS.with(|t| t.borrow_mut().insert(w)),
        None => 0,
    }
}

/// The estimator for widget `h` (or for no question, with `h` 0).
pub fn estimate(h: u32, input: &str) -> String {
    WIDGETS.with(|w| {
        let mut w = w.borrow_mut();
        let widget = w.get_mut(h);
        let lang = widget.as_ref().map_or(Lang::Nl, |x| x.lang());
        let r = read::<EstimateRequest>(input, lang).and_then(|req| match widget {
            Some(x) => x.estimate(&req),
            None => kader_classify::view::estimate(&req, None, lang)
                .map_err(|e| ErrorView::compute(&e.error, Some(e.field), lang)),
        });
        match r {
            Ok(e) => json!({ "ok": true, "estimate": e }),
            Err(e) => json!({ "ok": false, "error": e }),
        }
        .to_string()
    })
}

/// Which pages apply to a profile.
pub fn applicable(input: &str) -> String {
    match read::<ApplicableRequest>(input, Lang::Nl) {
        Ok(r) => json!({ "ok": true, "results": r.run() }),
        Err(e) => json!({ "ok": false, "error": e }),
    }
    .to_string()
}

/// Opens a widget on the bundle `(ptr, len)`; handle or 0.
/// # Safety
/// `(ptr, len)` must be a live buffer from [`crate::kader_alloc`] (or null); so must every pair below.
#[no_mangle]
pub unsafe extern "C" fn classify_open(ptr: *const u8, len: usize) -> u32 {
    open(text(ptr, len))
}

/// Closes a widget.
#[no_mangle]
pub extern "C" fn classify_close(h: u32) {
    WIDGETS.with(|w| drop(w.borrow_mut().remove(h)));
}

/// The state.
#[no_mangle]
pub extern "C" fn classify_state(h: u32) -> u64 {
    give(step(h, |_| Ok(())))
}

/// Chooses answer `index`.
#[no_mangle]
pub extern "C" fn classify_answer(h: u32, index: u32) -> u64 {
    give(step(h, |w| w.answer(index as usize)))
}

/// Answers a numeric question with `{"value": …}` or an estimator input.
///
/// # Safety
/// See [`classify_open`].
#[no_mangle]
pub unsafe extern "C" fn classify_answer_value(h: u32, ptr: *const u8, len: usize) -> u64 {
    let input = text(ptr, len);
    give(step(h, |w| w.answer_input(&read(input, w.lang())?)))
}

/// Undoes the last answer.
#[no_mangle]
pub extern "C" fn classify_back(h: u32) -> u64 {
    give(step(h, Widget::back))
}

/// Goes back to answer `n` (0 = the first).
#[no_mangle]
pub extern "C" fn classify_jump(h: u32, n: u32) -> u64 {
    give(step(h, |w| w.jump(n as usize)))
}

/// Replays a JSON list of steps.
///
/// # Safety
/// See [`classify_open`].
#[no_mangle]
pub unsafe extern "C" fn classify_restore(h: u32, ptr: *const u8, len: usize) -> u64 {
    let input = text(ptr, len);
    give(step(h, |w| w.restore(&read::<Vec<Step>>(input, w.lang())?)))
}

/// Back to the first question.
#[no_mangle]
pub extern "C" fn classify_restart(h: u32) -> u64 {
    give(step(h, |w| {
        w.restart();
        Ok(())
    }))
}

/// The estimator: see [`estimate`].
///
/// # Safety
/// See [`classify_open`].
#[no_mangle]
pub unsafe extern "C" fn classify_estimate(h: u32, ptr: *const u8, len: usize) -> u64 {
    give(estimate(h, text(ptr, len)))
}

/// Applicability of pages: see [`applicable`].
///
/// # Safety
/// See [`classify_open`].
#[no_mangle]
pub unsafe extern "C" fn classify_applicable(ptr: *const u8, len: usize) -> u64 {
    give(applicable(text(ptr, len)))
}
