//! `<!-- tags -->` and `<!-- tags-ai-act -->`: chips of the page's taxonomy
//! terms (the AI-Act labels, or the others), each linking to its term page.

use super::{Call, Directive, Env, Kind, Shows};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;

pub struct Tags;

const TAGS: &str = "tags";
const TAGS_AI_ACT: &str = "tags-ai-act";

impl Kind for Tags {
    fn names(&self, _: &SiteConfig) -> Vec<String> {
        vec![TAGS.into(), TAGS_AI_ACT.into()]
    }

    fn resolve(&self, at: &Call<'_>, diags: &mut Diagnostics) -> Option<Box<dyn Directive>> {
        at.no_arguments(diags);
        Some(Box::new(Chips {
            ai_act: at.call.name == TAGS_AI_ACT,
        }))
    }
}

#[derive(Debug)]
struct Chips {
    ai_act: bool,
}

impl Directive for Chips {
    fn shows(&self) -> Shows {
        Shows::Nothing
    }

    fn template(&self) -> &'static str {
        "partials/tags.html"
    }

    fn context(&self, env: &dyn Env, ctx: &mut tera::Context, _: &mut Diagnostics) {
        ctx.insert_value("groups", env.tags(self.ai_act));
        ctx.insert("ai_act", &self.ai_act);
    }
}
