//! One module per screen. Each owns its state and `Message`, and returns an
//! `Action` for what only the app can do.

pub mod onboarding;
pub mod processing;
pub mod settings;
pub mod workspace;
