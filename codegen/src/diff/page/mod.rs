//! The AWS API change page of two models, as awsapichanges.info publishes it
//! (`awslabs/aws-sdk-api-changes`): a title with the counts, the release note, then each new and
//! updated method with what its request and response gained and its boto3 documentation.
//!
//! ```no_run
//! let old = models::load_service_files("old/service-2.json".as_ref(), None)?;
//! let new = models::load_service_files("new/service-2.json".as_ref(), None)?;
//! let options = codegen::diff::page::PageOptions::default().date("2024-10-23")?;
//! let page = codegen::diff::page::ChangePage::new(&old, &new, &options);
//! print!("{}", codegen::diff::render::change_page(&page));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Methods pair by name. A method is *new* when the old model lacks it, *updated* when its input
//! or output shape, compared with the old shape of the same name, gained a member or an enum
//! value anywhere below ([`delta`]). Removed methods and removed members are not on the page (the
//! page shows additions); the other report forms list them.

pub mod delta;
mod doc_markup;
pub mod method_doc;
pub mod pyliteral;
mod release_notes;
mod section;
mod xform;

use models::Service;

pub use delta::Delta;
pub(crate) use doc_markup::safe_html as doc_html;
pub use method_doc::MethodDoc;
pub use pyliteral::PyValue;
pub use release_notes::{ReleaseNoteError, release_note};
pub use xform::xform_name;

/// What the page says besides what the models say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// The release date, `YYYY-MM-DD`; the title starts with it as `YYYY/MM/DD`.
    pub date: Option<String>,
    /// The release note, shown after `Changes`.
    pub changes: Option<String>,
}

/// A date that is not `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date of the form YYYY-MM-DD")]
pub struct BadDate(pub String);

impl PageOptions {
    /// Sets the release date, checking its form.
    pub fn date(mut self, date: &str) -> Result<Self, BadDate> {
        let bytes = date.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        let month = date.get(5..7).and_then(|m| m.parse::<u8>().ok());
        let day = date.get(8..10).and_then(|d| d.parse::<u8>().ok());
        let valid = bytes.len() == 10
            && digits(0..4)
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && month.is_some_and(|m| (1..=12).contains(&m))
            && day.is_some_and(|d| (1..=31).contains(&d));
        if !valid {
            return Err(BadDate(date.to_owned()));
        }
        self.date = Some(date.to_owned());
        Ok(self)
    }

    /// Sets the release note.
    pub fn changes(mut self, text: impl Into<String>) -> Self {
        self.changes = Some(text.into());
        self
    }
}

/// The pages leave `TagSpecifications` out of EC2's request deltas (a special case in
/// `diff_model`); a request left with nothing is no change.
fn ec2_request(service: &Service, delta: Delta) -> Option<Delta> {
    match delta {
        Delta::Structure(mut members) if service.metadata.endpoint_prefix == "ec2" => {
            members.remove("TagSpecifications");
            (!members.is_empty()).then_some(Delta::Structure(members))
        }
        other => Some(other),
    }
}

/// The page: title, release note, and the new and updated methods with their documentation.
#[derive(Debug, Clone)]
pub struct ChangePage {
    /// `serviceFullName` of the new model.
    pub service: String,
    pub date: Option<String>,
    pub changes: Option<String>,
    /// Methods the old model lacks, by name.
    pub new: Vec<Method>,
    /// Methods whose request or response gained something, by name.
    pub updated: Vec<Method>,
}

/// A method on the page.
#[derive(Debug, Clone)]
pub struct Method {
    pub name: String,
    /// What it gained; `None` for a new method.
    pub changes: Option<MethodDelta>,
    pub doc: MethodDoc,
}

/// What an updated method's request and response gained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodDelta {
    Request(Delta),
    Response(Delta),
    RequestAndResponse {
        request: Delta,
        response: Delta,
    },
    /// Request and response gained the same (the page says `both`).
    Both(Delta),
}

impl MethodDelta {
    fn of(request: Option<Delta>, response: Option<Delta>) -> Option<Self> {
        Some(match (request, response) {
            (None, None) => return None,
            (Some(request), None) => MethodDelta::Request(request),
            (None, Some(response)) => MethodDelta::Response(response),
            (Some(request), Some(response)) if request.to_py() == response.to_py() => {
                MethodDelta::Both(request)
            }
            (Some(request), Some(response)) => {
                MethodDelta::RequestAndResponse { request, response }
            }
        })
    }

    /// The sides, as the page lists them after `Changes`: `request`, `response`, `both`.
    pub fn sides(&self) -> &'static str {
        match self {
            MethodDelta::Request(_) => "request",
            MethodDelta::Response(_) => "response",
            MethodDelta::RequestAndResponse { .. } => "request, response",
            MethodDelta::Both(_) => "both",
        }
    }

    /// Each printed delta with its label (`Request`/`Response` when there are two).
    pub fn parts(&self) -> Vec<(Option<&'static str>, &Delta)> {
        match self {
            MethodDelta::Request(delta)
            | MethodDelta::Response(delta)
            | MethodDelta::Both(delta) => {
                vec![(None, delta)]
            }
            MethodDelta::RequestAndResponse { request, response } => {
                vec![(Some("Request"), request), (Some("Response"), response)]
            }
        }
    }

    fn filtered(self, keep: &dyn Fn(&str) -> bool) -> Option<Self> {
        let (request, response) = match self {
            MethodDelta::Request(delta) => (Some(delta), None),
            MethodDelta::Response(delta) => (None, Some(delta)),
            MethodDelta::RequestAndResponse { request, response } => {
                (Some(request), Some(response))
            }
            MethodDelta::Both(delta) => (Some(delta.clone()), Some(delta)),
        };
        MethodDelta::of(
            request.and_then(|delta| delta::filtered(delta, keep)),
            response.and_then(|delta| delta::filtered(delta, keep)),
        )
    }
}

impl ChangePage {
    /// The page for two versions of a model.
    pub fn new(old: &Service, new: &Service, options: &PageOptions) -> Self {
        let mut page = ChangePage {
            service: new.metadata.service_full_name.clone(),
            date: options.date.clone(),
            changes: options.changes.clone(),
            new: Vec::new(),
            updated: Vec::new(),
        };
        for (name, operation) in &new.operations {
            if !old.operations.contains_key(name) {
                page.new.push(Method {
                    name: name.clone(),
                    changes: None,
                    doc: MethodDoc::new(new, operation),
                });
            }
            // As on the page, a new method whose input or output shape existed and changed is
            // also an updated one.
            let side = |id: Option<models::ShapeId>| {
                let id = id?;
                let before = old.shape_id(&new.shape(id).name)?;
                delta::shape_delta(old, new, before, id)
            };
            let request = side(operation.input).and_then(|delta| ec2_request(new, delta));
            if let Some(changes) = MethodDelta::of(request, side(operation.output)) {
                page.updated.push(Method {
                    name: name.clone(),
                    changes: Some(changes),
                    doc: MethodDoc::new(new, operation),
                });
            }
        }
        page
    }

    /// Drops the additions whose model location (`shapes.S.members.M`, `shapes.E.enum.V`)
    /// `keep` rejects, and the updated methods left with none: what an ignore file silenced.
    pub fn retain(&mut self, keep: &dyn Fn(&str) -> bool) {
        let updated = std::mem::take(&mut self.updated);
        self.updated = updated
            .into_iter()
            .filter_map(|mut method| {
                method.changes = method.changes.take()?.filtered(keep);
                method.changes.is_some().then_some(method)
            })
            .collect();
    }

    /// `2024/10/23 - Amazon Connect Service - 1 new 2 updated api methods`: the page's own
    /// title, without the date when none was given, and without a count that is zero.
    pub fn title(&self) -> String {
        let mut title = String::new();
        if let Some(date) = &self.date {
            title.push_str(&date.replace('-', "/"));
            title.push_str(" - ");
        }
        title.push_str(&self.service);
        title.push_str(" - ");
        if !self.new.is_empty() {
            title.push_str(&format!("{} new ", self.new.len()));
        }
        if !self.updated.is_empty() {
            title.push_str(&format!("{} updated ", self.updated.len()));
        }
        title.push_str("api methods");
        title
    }

    /// Whether the page lists no method.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.updated.is_empty()
    }
}
