use yew::prelude::*;

use crate::texts;
use crate::types::{Lang, LoadError};

#[derive(Properties, PartialEq)]
pub struct AlertProps {
    pub lang: Lang,
    pub error: LoadError,
}

fn kind(e: &LoadError) -> &'static str {
    match e {
        LoadError::Unauthorized => "unauthorized",
        LoadError::Forbidden => "forbidden",
        LoadError::Invalid(_) => "invalid",
        LoadError::Network => "network",
        LoadError::Server(_) => "server",
        LoadError::Range => "range",
    }
}

/// A failure, announced to screen readers as soon as it appears.
#[function_component(Alert)]
pub fn alert(p: &AlertProps) -> Html {
    html! {
        <p class="error" role="alert" data-error={kind(&p.error)}>{ texts::error(&p.error, p.lang) }</p>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub text: &'static str,
}

/// A quiet line of progress or guidance.
#[function_component(Status)]
pub fn status(p: &StatusProps) -> Html {
    html! { <p class="status" role="status">{ p.text }</p> }
}
