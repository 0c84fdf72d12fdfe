fn main() -> iced::Result {
    braindump::logging::init();
    braindump::app::application(braindump::app::Config::from_env()).run()
}
