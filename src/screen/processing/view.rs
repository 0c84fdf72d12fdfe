//! How the processing panel looks.

use crate::widget::button;
use iced::widget::{
    column, container, markdown, pick_list, row, scrollable, space, text, text_input, tooltip,
};
use iced::{Alignment, Element, Fill, Theme};

use super::export::EXPORT_INPUT;
use super::{FOLLOW_UP_ID, Message, Processing};
use crate::claude::{self, NextStep};
use crate::notes::runs::Status;
use crate::theme::{self, size, space as sp};
use crate::widget::{self, Icon, icon, labeled};

impl Processing {
    pub fn view<'a>(
        &'a self,
        theme: &Theme,
        has_note: bool,
        now: &jiff::Zoned,
        width: f32,
    ) -> Element<'a, Message> {
        let modes: Vec<String> = self.modes.iter().map(|mode| mode.name.clone()).collect();
        let (previous, next) = widget::neighbours(&modes, &self.mode, Message::SelectMode);
        let mode = widget::choice(
            pick_list(modes, Some(self.mode.clone()), Message::SelectMode)
                .text_size(size::BODY)
                .padding([sp::XS, sp::S]),
            previous,
            next,
        );
        // Display names, newest first as the API lists them; the id is in
        // the tooltip.
        let mut models: Vec<ModelChoice> = self
            .models
            .iter()
            .map(|model| ModelChoice {
                id: model.id.clone(),
                name: model.name().to_owned(),
            })
            .collect();
        let chosen_id = self.model();
        let chosen = models
            .iter()
            .find(|model| model.id == chosen_id)
            .cloned()
            .unwrap_or_else(|| ModelChoice {
                id: chosen_id.clone(),
                name: chosen_id.clone(),
            });
        if !models.contains(&chosen) {
            models.insert(0, chosen.clone());
        }
        let select = |choice: ModelChoice| Message::SelectModel(choice.id);
        let (previous, next) = widget::neighbours(&models, &chosen, select);
        let model = widget::choice(
            tooltip(
                pick_list(models, Some(chosen), select)
                    .text_size(size::SMALL)
                    .padding([sp::XS, sp::S]),
                container(text(chosen_id).size(size::SMALL))
                    .padding(sp::XS)
                    .style(container::rounded_box),
                tooltip::Position::Bottom,
            ),
            previous,
            next,
        );

        let action: Element<'_, Message> = if self.is_streaming() {
            labeled(Icon::Stop, "Stop  (Esc)")
                .style(theme::secondary)
                .on_press(Message::Stop)
                .into()
        } else {
            labeled(Icon::Sparkles, "Process  (Ctrl+Enter)")
                .style(theme::primary)
                .on_press_maybe(has_note.then_some(Message::Process))
                .into()
        };

        // Three parts, so that the reply keeps its place in the widget tree
        // (and its laid-out text) while lines above and below it come and go.
        let mut top = column![
            row![mode, action].spacing(sp::S).align_y(Alignment::Center),
            row![text("Model").size(size::SMALL).style(theme::muted), model]
                .spacing(sp::S)
                .align_y(Alignment::Center),
        ]
        .spacing(sp::S);
        let mut bottom = column![].spacing(sp::S);

        if !self.is_streaming()
            && has_note
            && let Some(estimate) = self.estimate()
        {
            let words = match estimate.over_limit {
                Some(limit) => format!(
                    "{} · more than this model takes ({})",
                    estimate.words(),
                    crate::prices::thousands(limit)
                ),
                None => estimate.words(),
            };
            let line = text(words).size(size::SMALL);
            top = top.push(if estimate.over_limit.is_some() {
                line.style(theme::danger_text)
            } else {
                line.style(theme::muted)
            });
        }
        if let Some((spent, budget)) = self.budget_used()
            && spent >= budget * crate::spending::NOTICE_AT
        {
            top = top.push(
                text(format!(
                    "{:.0} % of this month's budget used (≈ {} of {}).",
                    (spent / budget * 100.0).floor(),
                    crate::prices::dollars(spent),
                    crate::prices::dollars(budget)
                ))
                .size(size::SMALL)
                .style(if spent >= budget {
                    theme::danger_text
                } else {
                    theme::muted
                }),
            );
        }
        if self.over_budget {
            top = top.push(
                container(
                    column![
                        text("This month's budget is used up.")
                            .size(size::BODY)
                            .font(theme::FONT_BOLD),
                        text("Send this note to Claude all the same? The budget is yours to change in Settings.")
                            .size(size::SMALL),
                        row![
                            button(text("Send anyway").size(size::SMALL))
                                .padding([2.0, sp::S])
                                .style(theme::primary)
                                .on_press(Message::SendAnyway),
                            button(text("Cancel").size(size::SMALL))
                                .padding([2.0, sp::S])
                                .style(theme::secondary)
                                .on_press(Message::CancelSend),
                        ]
                        .spacing(sp::S),
                    ]
                    .spacing(sp::XS),
                )
                .padding(sp::S)
                .width(Fill)
                .style(|theme| theme::notice(theme, true)),
            );
        }
        if let Some(held) = &self.privacy {
            top = top.push(privacy_question(&held.findings, held.in_note()));
        }
        if let Some(status) = self.status_line() {
            top = top.push(status);
        }
        if let Some(problem) = self.failure_view() {
            top = top.push(problem);
        }
        if let Some(notice) = &self.notice {
            top = top.push(
                row![
                    text(notice).size(size::SMALL).width(Fill),
                    button(icon(Icon::Close).size(12))
                        .padding(sp::XS)
                        .style(theme::tool_button)
                        .on_press(Message::DismissNotice),
                ]
                .align_y(Alignment::Center),
            );
        }
        if let Some(arrived) = self.arrived() {
            top = top.push(
                container(
                    row![
                        icon(Icon::Sparkles).size(14),
                        text(arrived).size(size::SMALL).width(Fill),
                        button(text("Open").size(size::SMALL))
                            .padding([2.0, sp::S])
                            .style(theme::secondary)
                            .on_press(Message::OpenArrived),
                        button(icon(Icon::Close).size(12))
                            .padding(sp::XS)
                            .style(theme::tool_button)
                            .on_press(Message::DismissNotice),
                    ]
                    .spacing(sp::S)
                    .align_y(Alignment::Center),
                )
                .padding(sp::S)
                .width(Fill)
                .style(|theme| theme::notice(theme, false)),
            );
        }
        for job in self
            .note
            .iter()
            .flat_map(|note| self.queue.for_note(note.as_str()))
        {
            let state = match &job.state {
                crate::jobs::State::Failed { reason } => format!("Not sent: {reason}"),
                crate::jobs::State::Parked { .. } => continue,
                _ => "Queued: sent when Anthropic can be reached, with the note as it was when queued.".to_owned(),
            };
            top = top.push(
                row![
                    icon(Icon::Offline).size(14),
                    text(format!("{} · {state}", job.mode))
                        .size(size::SMALL)
                        .width(Fill),
                    button(text("Cancel").size(size::SMALL))
                        .padding([2.0, sp::S])
                        .style(theme::secondary)
                        .on_press(Message::CancelJob(job.id)),
                ]
                .spacing(sp::S)
                .align_y(Alignment::Center),
            );
        }

        let reply = widget::reply::view(
            self.content.items(),
            self.is_streaming(),
            self.generation,
            markdown::Settings::with_text_size(size::BODY, theme),
        )
        .map(Message::Link);
        let body: Element<'_, Message> = if self.content.items().is_empty() && !self.is_streaming()
        {
            text(if has_note {
                "Choose a mode and press Process: Claude's reply appears here as it is written."
            } else {
                "Open a note to process it."
            })
            .size(size::SMALL)
            .style(theme::muted)
            .into()
        } else {
            scrollable(container(reply).padding([0.0, sp::S]))
                .anchor_bottom()
                .height(Fill)
                .into()
        };

        if let Some(run) = self
            .shown
            .and_then(|index| self.runs.get(index))
            .filter(|_| !self.is_streaming())
        {
            let status = match &run.status {
                Status::Complete => String::new(),
                Status::Incomplete { reason } => format!(" · incomplete ({reason})"),
                Status::Failed { reason } => format!(" · failed ({reason})"),
            };
            let tokens = run.tokens();
            let cached = if tokens.cache_read > 0 {
                format!(
                    " ({} from the cache)",
                    crate::prices::thousands(tokens.cache_read)
                )
            } else {
                String::new()
            };
            let cost = crate::prices::cost(&run.model, tokens)
                .map(|cost| format!(" · {}", crate::prices::about(cost)))
                .unwrap_or_default();
            bottom = bottom.push(
                text(format!(
                    "{} · {} · {} in{cached} / {} out tokens{cost}{status}",
                    run.mode,
                    run.model,
                    crate::prices::thousands(tokens.all_input()),
                    crate::prices::thousands(tokens.output)
                ))
                .size(size::SMALL)
                .style(theme::muted),
            );
            if let Some(reason) = &run.stop_reason {
                bottom = bottom.push(self.stopped_view(reason, &run.model));
            }
            let mut actions = row![
                labeled(Icon::Copy, "Copy")
                    .style(theme::secondary)
                    .on_press(Message::Copy),
                labeled(Icon::Paste, "Insert into note")
                    .style(theme::secondary)
                    .on_press(Message::Insert),
            ]
            .spacing(sp::S);
            if !matches!(run.status, Status::Complete) {
                actions = actions.push(
                    labeled(Icon::Retry, "Retry")
                        .style(theme::secondary)
                        .on_press(Message::Retry),
                );
            }
            bottom = bottom.push(actions);
            bottom = bottom.push(
                text_input("Ask a follow-up…", &self.follow_up)
                    .id(FOLLOW_UP_ID)
                    .on_input(Message::FollowUpChanged)
                    .on_submit(Message::AskFollowUp)
                    .padding(sp::S)
                    .size(size::BODY)
                    .style(theme::input),
            );
        }

        if self.runs.len() > 1 || (self.runs.len() == 1 && self.shown != Some(0)) {
            let list = column(self.runs.iter().enumerate().rev().map(|(index, run)| {
                let when = jiff::Timestamp::from_second(run.started_at)
                    .map(|at| crate::time::relative(std::time::SystemTime::from(at), now))
                    .unwrap_or_default();
                let flag = if matches!(run.status, Status::Complete) {
                    ""
                } else {
                    " ⚠"
                };
                button(
                    text(format!(
                        "{} · {when} · {} tokens{flag}",
                        run.mode, run.output_tokens
                    ))
                    .size(size::SMALL),
                )
                .width(Fill)
                .padding([sp::XS, sp::S])
                .style(theme::list_item(self.shown == Some(index)))
                .on_press(Message::ShowRun(index))
                .into()
            }));
            bottom = bottom.push(
                text("Earlier runs")
                    .size(size::SMALL)
                    .font(theme::FONT_BOLD),
            );
            bottom = bottom.push(scrollable(list).height(120));
        }
        if let Some(problem) = &self.runs_problem {
            bottom = bottom.push(text(problem).size(size::SMALL).style(theme::danger_text));
        }
        if let Some((typed, problem)) = &self.export_path {
            bottom = bottom.push(typed_export(typed, problem.as_deref()));
        }
        if let Some(preview) = &self.preview {
            bottom = bottom.push(
                container(
                    scrollable(text(preview).size(size::SMALL).font(iced::Font::MONOSPACE))
                        .height(220),
                )
                .padding(sp::S)
                .width(Fill)
                .style(|theme| theme::notice(theme, false)),
            );
        }
        bottom = bottom.push(row![
            button(
                text(if self.preview.is_some() {
                    "Hide the request"
                } else {
                    "Preview request"
                })
                .size(size::SMALL)
            )
            .padding([2.0, sp::S])
            .style(button::text)
            .on_press_maybe(has_note.then_some(Message::TogglePreview)),
            space().width(Fill),
            button(text("Export…").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(button::text)
                .on_press_maybe(has_note.then_some(Message::Export)),
        ]);

        let panel = column![top, container(body).height(Fill), bottom]
            .spacing(sp::S)
            .padding(sp::M)
            .height(Fill);
        container(panel)
            .width(width)
            .height(Fill)
            .style(theme::sidebar)
            .into()
    }

    fn status_line(&self) -> Option<Element<'_, Message>> {
        let current = self.current.as_ref()?;
        let words = match current.retry_at {
            Some(at) => retrying_words(
                self.failure.as_ref(),
                at.saturating_duration_since(self.now),
            ),
            None if !current.started => {
                let waited = self.now.saturating_duration_since(current.sent_at);
                if waited >= super::STILL_WAITING {
                    still_waiting_words(waited, current.gives_up)
                } else {
                    "Waiting for Claude…".to_owned()
                }
            }
            None if current.answer.is_empty() => "Waiting for Claude…".to_owned(),
            None => "Claude is writing…".to_owned(),
        };
        Some(
            row![icon(Icon::Clock).size(14), text(words).size(size::SMALL)]
                .spacing(sp::S)
                .align_y(Alignment::Center)
                .into(),
        )
    }

    /// A reply that ended before its natural end: why, in words, and the
    /// way on.
    fn stopped_view(&self, reason: &str, model: &str) -> Element<'_, Message> {
        let sent = self.max_tokens_for(model);
        let limit = crate::prices::thousands(u64::from(sent));
        let (words, can_continue) = stop_words(reason, &limit);
        let mut actions = row![].spacing(sp::S);
        if can_continue {
            actions = actions.push(
                labeled(Icon::Retry, "Continue")
                    .style(theme::secondary)
                    .on_press(Message::Continue),
            );
        }
        if reason == "max_tokens" {
            let most = self
                .models
                .iter()
                .find(|listed| listed.id == model)
                .and_then(|listed| listed.max_tokens)
                .unwrap_or(128_000);
            let raised = sent.saturating_mul(2).min(128_000).min(most);
            if raised > sent {
                actions = actions.push(
                    button(
                        text(format!(
                            "Raise the limit to {}",
                            crate::prices::thousands(u64::from(raised))
                        ))
                        .size(size::SMALL),
                    )
                    .padding([sp::XS, sp::S])
                    .style(theme::secondary)
                    .on_press(Message::RaiseLimit(raised)),
                );
            }
        }
        container(column![text(words).size(size::SMALL), actions].spacing(sp::XS))
            .padding(sp::S)
            .width(Fill)
            .style(|theme| theme::notice(theme, false))
            .into()
    }

    fn failure_view(&self) -> Option<Element<'_, Message>> {
        let error = self.failure.as_ref()?;
        if self
            .current
            .as_ref()
            .is_some_and(|current| current.retry_at.is_some())
        {
            // Retrying on its own; the status line says so.
            return None;
        }
        let (headline, detail, next) = claude::advice(error);
        let action: Option<Element<'_, Message>> = match next {
            NextStep::FixKey => Some(
                labeled(Icon::Key, "Fix the key")
                    .style(theme::secondary)
                    .on_press(Message::FixKey)
                    .into(),
            ),
            NextStep::Billing => Some(
                labeled(Icon::External, "Open Plans & Billing")
                    .style(theme::secondary)
                    .on_press(Message::OpenBilling)
                    .into(),
            ),
            NextStep::Retry if !self.is_streaming() => Some(
                labeled(Icon::Retry, "Try again")
                    .style(theme::secondary)
                    .on_press(Message::Retry)
                    .into(),
            ),
            _ => None,
        };
        let mut content = column![
            text(headline).size(size::BODY).font(theme::FONT_BOLD),
            text(detail).size(size::SMALL),
        ]
        .spacing(sp::XS);
        if let Some(action) = action {
            content = content.push(action);
        }
        Some(
            container(content)
                .padding(sp::S)
                .width(Fill)
                .style(|theme| theme::notice(theme, true))
                .into(),
        )
    }
}

/// The privacy scan found something: what and where, and the choice.
fn privacy_question<'a>(
    findings: &[crate::privacy::Finding],
    in_note: bool,
) -> Element<'a, Message> {
    let has_key = findings
        .iter()
        .any(|finding| finding.kind == crate::privacy::Kind::AnthropicKey);
    let mut body = column![
        text("Before this goes to Claude")
            .size(size::BODY)
            .font(theme::FONT_BOLD),
        text(if in_note {
            format!(
                "The note holds {}. They are marked in the note.",
                crate::privacy::summary(findings)
            )
        } else {
            format!("Your question holds {}.", crate::privacy::summary(findings))
        })
        .size(size::SMALL),
    ]
    .spacing(sp::XS);
    if has_key {
        body = body.push(
            text("An Anthropic API key lets whoever holds it spend on that account. Send it only if you mean to.")
                .size(size::SMALL)
                .style(theme::danger_text),
        );
    }
    body = body.push(
        text("Masked, Claude sees [email 1] and the like instead, and its reply shows your originals again.")
            .size(size::SMALL)
            .style(theme::muted),
    );
    body = body.push(
        row![
            button(text("Send masked").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(theme::primary)
                .on_press(Message::SendMasked),
            button(text("Send as is").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(theme::secondary)
                .on_press(Message::SendAsIs),
            button(text("Cancel").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(button::text)
                .on_press(Message::CancelSend),
        ]
        .spacing(sp::S),
    );
    container(body)
        .padding(sp::S)
        .width(Fill)
        .style(|theme| theme::notice(theme, true))
        .into()
}

/// Why a reply ended early, in words, and whether Continue can ask for
/// the rest.
pub(super) fn stop_words(reason: &str, limit: &str) -> (String, bool) {
    match reason {
        "max_tokens" => (
            format!("Stopped at the length limit of {limit} tokens. Continue asks for the rest."),
            true,
        ),
        "pause_turn" => (
            "Claude paused this long reply. Continue lets it go on.".to_owned(),
            true,
        ),
        "refusal" => (
            "Claude declined to go on with this reply (a refusal). Rephrasing the note, or asking another way, may help.".to_owned(),
            false,
        ),
        "model_context_window_exceeded" => (
            "Stopped because the conversation filled the model's context window. Start a new run, or shorten the note.".to_owned(),
            false,
        ),
        other => (format!("The reply ended early ({other})."), false),
    }
}

/// A model in the picker: shown by name, chosen by id.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ModelChoice {
    id: String,
    name: String,
}

impl std::fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Where to export, typed by hand: this desktop has no file dialog.
fn typed_export<'a>(typed: &'a str, problem: Option<&'a str>) -> Element<'a, Message> {
    let mut body = column![
        text("No file dialog is available on this desktop (it needs xdg-desktop-portal or zenity): type where to save the export.")
            .size(size::SMALL),
        text_input("~/Documents/Note.md", typed)
            .id(EXPORT_INPUT)
            .on_input(Message::ExportPath)
            .on_submit(Message::ExportTyped)
            .padding(sp::S)
            .size(size::BODY)
            .style(theme::input),
        row![
            button(text("Export").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(theme::primary)
                .on_press(Message::ExportTyped),
            button(text("Cancel").size(size::SMALL))
                .padding([2.0, sp::S])
                .style(button::text)
                .on_press(Message::CancelExport),
        ]
        .spacing(sp::S),
    ]
    .spacing(sp::S);
    if let Some(problem) = problem {
        body = body.push(text(problem).size(size::SMALL).style(theme::danger_text));
    }
    container(body)
        .padding(sp::S)
        .width(Fill)
        .style(|theme| theme::notice(theme, false))
        .into()
}

/// A reply that has not begun: how long, and what happens next.
pub(super) fn still_waiting_words(
    waited: std::time::Duration,
    limit: std::time::Duration,
) -> String {
    format!(
        "Still waiting for Claude: no answer for {} s. Anthropic may be slow or having trouble; BrainDump gives up at {} s, or press Stop.",
        waited.as_secs(),
        limit.as_secs()
    )
}

/// "Anthropic is busy (529), retrying in 4 s": why, and the true wait.
pub(super) fn retrying_words(
    error: Option<&claude::ApiError>,
    wait: std::time::Duration,
) -> String {
    use claude::ErrorKind;
    let seconds = wait.as_secs_f32().ceil().max(1.0) as u64;
    let why = error.map(|error| match (error.kind, error.status) {
        (ErrorKind::Overloaded, _) => "Anthropic is busy (529)".to_owned(),
        (ErrorKind::RateLimited, _) => "Too many requests for now (429)".to_owned(),
        (ErrorKind::GatewayTimeout, _) => "Anthropic timed out (504)".to_owned(),
        (ErrorKind::Server, Some(status)) => format!("Anthropic had a server error ({status})"),
        (ErrorKind::Server, None) => "Anthropic had a server error".to_owned(),
        (ErrorKind::Connection, _) => "Anthropic cannot be reached".to_owned(),
        (ErrorKind::TimedOut, _) => "No answer from Anthropic in time".to_owned(),
        (ErrorKind::Interrupted, _) => "The reply broke off".to_owned(),
        (_, Some(status)) => format!("Anthropic answered {status}"),
        _ => "The request failed".to_owned(),
    });
    match why {
        Some(why) => format!("{why}, retrying in {seconds} s…"),
        None => format!("Retrying in {seconds} s…"),
    }
}
