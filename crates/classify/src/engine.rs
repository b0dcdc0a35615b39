//! A tree made ready to run: ids indexed, every condition parsed once, and
//! each question's category and subcategory settled (its own, else the
//! categories file's). [`Session`](crate::session::Session) walks an
//! engine; [`validate`](crate::validate) checks one.

use crate::companion::{Categories, Definitions};
use crate::expr::{self, Expr, ParseError};
use crate::tree::{self, DecisionTree, FlowError, Ids, Resolved};
use std::sync::Arc;

/// A decision tree with what running it needs. Cloning it is cheap (the
/// prepared tree is shared): every [`Session`](crate::session::Session)
/// owns an engine, and checking a tree replays hundreds of walks.
#[derive(Debug, Clone)]
pub struct Engine(Arc<Prepared>);

#[derive(Debug)]
struct Prepared {
    tree: DecisionTree,
    ids: Ids,
    /// `conditions[q][a][r]`: the parsed `if` of each redirect.
    conditions: Vec<Vec<Vec<Result<Expr, ParseError>>>>,
    category: Vec<Option<String>>,
    subcategory: Vec<Option<String>>,
    categories_in_order: Vec<String>,
    groups: Vec<Option<String>>,
    definitions: Definitions,
}

impl Engine {
    /// Prepares `tree` with its companion files.
    pub fn new(tree: DecisionTree, categories: &Categories, definitions: Definitions) -> Engine {
        let ids = Ids::of(&tree);
        let conditions = tree
            .questions
            .iter()
            .map(|q| {
                q.answers
                    .iter()
                    .map(|a| {
                        a.redirects
                            .iter()
                            .flatten()
                            .map(|r| expr::parse(&r.condition))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut category = Vec::with_capacity(tree.questions.len());
        let mut subcategory = Vec::with_capacity(tree.questions.len());
        let mut categories_in_order: Vec<String> = Vec::new();
        let mut groups: Vec<Option<String>> = Vec::new();
        for q in &tree.questions {
            let entry = categories.lookup(&q.question_id);
            let c = q
                .category
                .clone()
                .or_else(|| entry.and_then(|e| e.category.clone()));
            let s = q
                .subcategory
                .clone()
                .or_else(|| entry.and_then(|e| e.subcategory.clone()));
            if let Some(c) = &c {
                if !categories_in_order.contains(c) {
                    categories_in_order.push(c.clone());
                }
            }
            let produces = q.answers.iter().any(|a| !a.labels.is_empty());
            if produces && !groups.contains(&s) {
                groups.push(s.clone());
            }
            category.push(c);
            subcategory.push(s);
        }
        Engine(Arc::new(Prepared {
            tree,
            ids,
            conditions,
            category,
            subcategory,
            categories_in_order,
            groups,
            definitions,
        }))
    }

    /// Prepares a tree without companion files.
    pub fn from_tree(tree: DecisionTree) -> Engine {
        Engine::new(tree, &Categories::default(), Definitions::default())
    }

    /// The tree.
    pub fn tree(&self) -> &DecisionTree {
        &self.0.tree
    }

    /// The ids of the tree.
    pub fn ids(&self) -> &Ids {
        &self.0.ids
    }

    /// The definitions.
    pub fn definitions(&self) -> &Definitions {
        &self.0.definitions
    }

    /// The category of question `q` (progress step).
    pub fn category(&self, q: usize) -> Option<&str> {
        self.0.category.get(q)?.as_deref()
    }

    /// The subcategory of question `q` (the group of its labels).
    pub fn subcategory(&self, q: usize) -> Option<&str> {
        self.0.subcategory.get(q)?.as_deref()
    }

    /// The categories in the order of their first question.
    pub fn categories(&self) -> &[String] {
        &self.0.categories_in_order
    }

    /// The label groups: the subcategories of the questions that have
    /// labels, in the order of their first question (`None` for questions
    /// without a subcategory).
    pub fn groups(&self) -> &[Option<String>] {
        &self.0.groups
    }

    /// The parsed condition of redirect `r` of answer `a` of question `q`.
    pub fn condition(&self, q: usize, a: usize, r: usize) -> Option<&Result<Expr, ParseError>> {
        self.0.conditions.get(q)?.get(a)?.get(r)
    }

    /// Where answer `a` of question `q` leads when `has` says which labels
    /// have been collected (including the answer's own).
    pub fn resolve(
        &self,
        q: usize,
        a: usize,
        has: &dyn Fn(&str) -> bool,
    ) -> Result<Resolved, FlowError> {
        let conditions = self
            .0
            .conditions
            .get(q)
            .and_then(|c| c.get(a))
            .map_or(&[][..], Vec::as_slice);
        tree::resolve(&self.0.tree, &self.0.ids, q, a, conditions, has)
    }
}
