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
    match braindump::app::application(braindump::app::Config::from_env()).run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("braindump: the window could not be opened: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
