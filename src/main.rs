use braindump::cli::{self, Command};

fn main() -> std::process::ExitCode {
    let command = match cli::parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("braindump: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut open = None;
    let mut new_note = false;
    let mut capture = false;
    match command {
        Command::Run => {}
        Command::NewNote => new_note = true,
        Command::Capture => capture = true,
        Command::Open(path) => match std::path::absolute(&path) {
            // Absolute, for the running BrainDump works in another folder.
            Ok(path) => open = Some(path),
            Err(error) => {
                eprintln!("braindump: {}: {error}", path.display());
                return std::process::ExitCode::from(2);
            }
        },
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
    let mut config = braindump::app::Config::from_env();
    config.open = open.clone();
    config.new_note = new_note;
    config.capture = capture;
    #[cfg(unix)]
    {
        use braindump::instance::Claim;
        // The notes folder in force (environment, then Settings, then the
        // default) is claimed before any window exists, so this small read
        // holds nothing up; the app is given what was read.
        let settings = braindump::settings::load_blocking(&config.paths.settings_file());
        let notes = config.paths.notes_dir(settings.settings.notes_dir.as_ref());
        config.settings = Some(settings);
        let request = match open {
            Some(path) => braindump::instance::Request::Open(path),
            None if new_note => braindump::instance::Request::NewNote,
            None if capture => braindump::instance::Request::Capture,
            None => braindump::instance::Request::Activate,
        };
        match claim(&notes, &request) {
            Some(Claim::HandedOver) => return std::process::ExitCode::SUCCESS,
            Some(Claim::First(listener)) => config.instance = Some(listener),
            Some(Claim::Unanswered) | None => {}
        }
    }
    #[cfg(unix)]
    let instance = config.instance.clone();
    let result = braindump::app::daemon(config).run();
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
fn claim(
    notes: &std::path::Path,
    request: &braindump::instance::Request,
) -> Option<braindump::instance::Claim> {
    let runtime = directories::BaseDirs::new()?.runtime_dir()?.to_path_buf();
    match braindump::instance::claim(&runtime, notes, request) {
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
