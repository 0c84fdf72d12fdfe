//! BrainDump as the desktop knows it: one application id, used by the
//! window, the `.desktop` file (`StartupWMClass`), the icon's name and the
//! AppStream id (all under `resources/`), and the window's icon.

use iced::window;

/// The reverse-DNS application id, everywhere the desktop matches a
/// window to an app. `resources/linux/` and `resources/icons/` use it in
/// their file names; a test checks that they agree.
pub const APP_ID: &str = "io.github.braindump.BrainDump";

/// The icon at 128 px, from the PNGs `scripts/icons` renders from the SVG.
const ICON_PNG: &[u8] =
    include_bytes!("../resources/icons/hicolor/128x128/apps/io.github.braindump.BrainDump.png");

/// The main window's settings: size, application id (the Wayland app id
/// and the X11 `WM_CLASS`, which `iced::Settings::id` does not reach on
/// Linux) and icon.
pub fn window_settings(size: iced::Size) -> window::Settings {
    window::Settings {
        size,
        icon: icon(),
        #[cfg(target_os = "linux")]
        platform_specific: window::settings::PlatformSpecific {
            application_id: APP_ID.to_owned(),
            ..Default::default()
        },
        ..window::Settings::default()
    }
}

/// The window icon, decoded from the bundled PNG (a millisecond; a damaged
/// file would only cost the icon).
fn icon() -> Option<window::Icon> {
    let (rgba, width, height) = decode_rgba(ICON_PNG)?;
    window::icon::from_rgba(rgba, width, height).ok()
}

fn decode_rgba(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // 8-bit RGBA whatever the file's own format.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buffer = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buffer).ok()?;
    buffer.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buffer,
        png::ColorType::Rgb => buffer
            .chunks_exact(3)
            .flat_map(|pixel| [pixel[0], pixel[1], pixel[2], 255])
            .collect(),
        _ => return None,
    };
    Some((rgba, info.width, info.height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_icon_decodes() {
        let (rgba, width, height) = decode_rgba(ICON_PNG).expect("the icon decodes");
        assert_eq!((width, height), (128, 128));
        assert_eq!(rgba.len(), 128 * 128 * 4);
        assert!(icon().is_some());
    }

    #[test]
    fn every_desktop_file_is_named_and_points_by_the_app_id() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources");
        let desktop =
            std::fs::read_to_string(root.join(format!("linux/{APP_ID}.desktop"))).unwrap();
        assert!(desktop.contains(&format!("\nStartupWMClass={APP_ID}\n")));
        assert!(desktop.contains(&format!("\nIcon={APP_ID}\n")));
        let metainfo =
            std::fs::read_to_string(root.join(format!("linux/{APP_ID}.metainfo.xml"))).unwrap();
        assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")));
        assert!(metainfo.contains(&format!(
            "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
        )));
        for size in [16, 24, 32, 48, 64, 128, 256, 512] {
            let png = root.join(format!("icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
            let bytes = std::fs::read(&png).unwrap_or_else(|_| panic!("{}", png.display()));
            let (_, width, height) = decode_rgba(&bytes).unwrap();
            assert_eq!((width, height), (size, size), "{}", png.display());
        }
        assert!(
            root.join(format!("icons/hicolor/scalable/apps/{APP_ID}.svg"))
                .exists()
        );
    }
}
