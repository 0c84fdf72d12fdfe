//! Exporting a note with Claude's replies as one Markdown file.

use std::path::PathBuf;

use iced::Task;

use super::{Context, Message, Processing, display};

impl Processing {
    pub(super) fn export(&self, context: Context<'_>) -> Task<Message> {
        let Some((_, title, text)) = context.note else {
            return Task::none();
        };
        let mut markdown = text.trim_end().to_owned();
        for run in &self.runs {
            let when = jiff::Timestamp::from_second(run.started_at)
                .map(|at| at.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            markdown.push_str(&format!(
                "\n\n---\n\n## {} ({}, {when})\n\n{}",
                run.mode,
                run.model,
                display(run)
            ));
        }
        markdown.push('\n');
        let name = if title.trim().is_empty() {
            "Note".to_owned()
        } else {
            sanitize(title)
        };
        Task::perform(
            export_dialog(format!("{name}.md"), markdown),
            Message::Exported,
        )
    }
}

async fn export_dialog(name: String, markdown: String) -> Result<Option<PathBuf>, String> {
    let Some(handle) = rfd::AsyncFileDialog::new()
        .set_title("Export note with Claude's replies")
        .set_file_name(name)
        .add_filter("Markdown", &["md"])
        .save_file()
        .await
    else {
        return Ok(None);
    };
    let path = handle.path().to_path_buf();
    let target = path.clone();
    tokio::task::spawn_blocking(move || crate::atomic::write(&target, markdown.as_bytes()))
        .await
        .map_err(|error| error.to_string())?
        .map_err(|error| error.to_string())?;
    Ok(Some(path))
}

/// A title made safe as a file name.
fn sanitize(title: &str) -> String {
    title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.,()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect::<String>()
        .trim()
        .to_owned()
}
