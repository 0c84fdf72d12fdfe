use braindump::cli::{self, Command};

fn main() -> std::process::ExitCode {
    let command = match cli::parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("braindump: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    match command {
        Command::Run => {}
        Command::Help => {
            print!("{}", cli::HELP);
            return std::process::ExitCode::SUCCESS;
        }
        Command::Version => {
            println!("{}", cli::version());
            return std::process::ExitCode::SUCCESS;
        }
        Command::New(text) => {
            return match cli::new_note(&braindump::paths::Paths::from_env(), text) {
                Ok(path) => {
                    println!("{}", path.display());
                    std::process::ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("braindump: {error}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    braindump::logging::init();
    #[allow(unused_mut)]
    let mut config = braindump::app::Config::from_env();
    #[cfg(unix)]
    {
        use braindump::instance::Claim;
        // The notes folder in force (environment, then Settings, then the
        // default) is claimed before any window exists, so this small read
        // holds nothing up; the app is given what was read.
        let settings = braindump::settings::load_blocking(&config.paths.settings_file());
        let notes = config.paths.notes_dir(settings.settings.notes_dir.as_ref());
        config.settings = Some(settings);
        match claim(&notes) {
            Some(Claim::HandedOver) => return std::process::ExitCode::SUCCESS,
            Some(Claim::First(listener)) => config.instance = Some(listener),
            Some(Claim::Unanswered) | None => {}
        }
    }
    #[cfg(unix)]
    let instance = config.instance.clone();
    let result = braindump::app::application(config).run();
    #[cfg(unix)]
    if let Some(instance) = instance {
        instance.release();
    }
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("braindump: the window could not be opened: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// One BrainDump per notes folder, claimed in the runtime folder.
#[cfg(unix)]
fn claim(notes: &std::path::Path) -> Option<braindump::instance::Claim> {
    let runtime = directories::BaseDirs::new()?.runtime_dir()?.to_path_buf();
    match braindump::instance::claim(&runtime, notes) {
        Ok(claim) => {
            if matches!(claim, braindump::instance::Claim::Unanswered) {
                tracing::warn!("another BrainDump has this notes folder but does not answer");
            }
            Some(claim)
        }
        Err(error) => {
            tracing::warn!("one window per notes folder is not ensured: {error}");
            None
        }
    }
}
