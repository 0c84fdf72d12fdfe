//! Exporting a note with Claude's replies as one Markdown file.

use std::path::{Path, PathBuf};

use iced::Task;

use super::{Context, Message, Processing, display};
use crate::dialog;

/// The typed-path field, focused when it appears.
pub(super) const EXPORT_INPUT: &str = "export-path";

impl Processing {
    pub(super) fn export(&self, context: Context<'_>) -> Task<Message> {
        let Some((name, markdown)) = self.markdown(context) else {
            return Task::none();
        };
        Task::perform(export_dialog(name, markdown), |result| match result {
            Ok(Chosen::Saved(path)) => Message::Exported(Ok(Some(path))),
            Ok(Chosen::Cancelled) => Message::Exported(Ok(None)),
            Ok(Chosen::NoDialog(name)) => Message::NoExportDialog(name),
            Err(problem) => Message::Exported(Err(problem)),
        })
    }

    /// No dialog here: the path is typed in the panel instead, starting
    /// from `suggested`.
    pub(super) fn offer_typed_export(&mut self, suggested: String) -> Task<Message> {
        self.export_path = Some((suggested, None));
        iced::widget::operation::focus(EXPORT_INPUT)
    }

    /// Export to the typed path: the note as it is now; never over a file
    /// that is already there.
    pub(super) fn export_typed(&mut self, context: Context<'_>) -> Task<Message> {
        let Some((typed, problem)) = &mut self.export_path else {
            return Task::none();
        };
        let path = match dialog::typed_path(typed, dialog::home().as_deref()) {
            Ok(path) => path,
            Err(why) => {
                *problem = Some(why);
                return Task::none();
            }
        };
        let Some((_, markdown)) = self.markdown(context) else {
            return Task::none();
        };
        Task::perform(write_new(path, markdown), Message::TypedExportDone)
    }

    /// The note and its replies as one Markdown file, with a file name.
    fn markdown(&self, context: Context<'_>) -> Option<(String, String)> {
        let (_, title, text) = context.note?;
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
        Some((format!("{name}.md"), markdown))
    }
}

/// `/home/me/Documents` as `~/Documents`.
fn tilde(path: &Path, home: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if rest.as_os_str().is_empty() => "~".to_owned(),
        Ok(rest) => format!("~/{}", rest.display()),
        Err(_) => path.display().to_string(),
    }
}

enum Chosen {
    Saved(PathBuf),
    Cancelled,
    /// No dialog can be shown here; the path to offer instead: the note's
    /// name in the Documents folder (or home).
    NoDialog(String),
}

async fn export_dialog(name: String, markdown: String) -> Result<Chosen, String> {
    if !dialog::available().await {
        // Reads the user-dirs file: here, not in `update`.
        let folder = directories::UserDirs::new().map(|dirs| {
            let home = dirs.home_dir();
            tilde(dirs.document_dir().unwrap_or(home), home)
        });
        let folder = folder.unwrap_or_else(|| "~".to_owned());
        return Ok(Chosen::NoDialog(format!("{folder}/{name}")));
    }
    let Some(handle) = rfd::AsyncFileDialog::new()
        .set_title("Export note with Claude's replies")
        .set_file_name(name)
        .add_filter("Markdown", &["md"])
        .save_file()
        .await
    else {
        return Ok(Chosen::Cancelled);
    };
    // The dialog itself asked before replacing a file.
    let path = handle.path().to_path_buf();
    let target = path.clone();
    tokio::task::spawn_blocking(move || crate::atomic::write(&target, markdown.as_bytes()))
        .await
        .map_err(|error| error.to_string())?
        .map_err(|error| error.to_string())?;
    Ok(Chosen::Saved(path))
}

/// Writes a new file at a typed path, whole or not at all, and never over
/// one that is there: nobody was asked about replacing it.
async fn write_new(path: PathBuf, markdown: String) -> Result<PathBuf, String> {
    tokio::task::spawn_blocking(move || {
        if path.is_dir() {
            return Err(format!(
                "{} is a folder: add a file name, such as {}/Note.md.",
                path.display(),
                path.display()
            ));
        }
        crate::atomic::write_new(&path, markdown.as_bytes()).map_err(|error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists: choose another name (nothing was replaced).",
                    path.display()
                )
            } else if error.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "The folder {} does not exist.",
                    path.parent().unwrap_or(&path).display()
                )
            } else {
                format!("Could not write {}: {error}.", path.display())
            }
        })?;
        Ok(path)
    })
    .await
    .map_err(|error| error.to_string())?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_home_are_offered_with_a_tilde() {
        let home = Path::new("/home/me");
        assert_eq!(tilde(Path::new("/home/me/Documents"), home), "~/Documents");
        assert_eq!(tilde(home, home), "~");
        assert_eq!(tilde(Path::new("/srv/docs"), home), "/srv/docs");
        assert_eq!(sanitize(" a/b: c? "), "a_b_ c_");
    }
}
