//! Certificates are checked by the platform's verifier: a TLS-inspecting
//! proxy whose root the system trusts works, and one it does not trust is
//! refused. Here the "system's store" is `SSL_CERT_FILE`, which the
//! verifier reads on Linux as the system's tools do; the server is
//! `https://localhost`, signed by a certificate authority of the test's
//! own. One test in its binary: it sets an environment variable.

use std::sync::Arc;

use braindump::claude::{self, BaseUrl, Client, ErrorKind, Validation};
use braindump::key::ApiKey;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A certificate authority: its PEM and what signs with it.
fn authority() -> (String, Issuer<'static, KeyPair>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().unwrap();
    let certificate = params.self_signed(&key).unwrap();
    (certificate.pem(), Issuer::new(params, key))
}

/// A server for `localhost` whose certificate is signed by a new
/// authority: the authority's PEM, and the port. It answers every request
/// with an empty model list.
async fn tls_server() -> (String, u16) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (ca, issuer) = authority();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();

    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"data":[],"has_more":false}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_tls\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca, port)
}

#[tokio::test]
async fn a_proxy_the_system_trusts_works_and_one_it_does_not_is_refused() {
    let (ca, port) = tls_server().await;
    let dir = tempfile::tempdir().unwrap();
    // The system trusts another authority, not the proxy's.
    let untrusted = dir.path().join("other.pem");
    std::fs::write(&untrusted, authority().0).unwrap();
    let trusted = dir.path().join("ca.pem");
    std::fs::write(&trusted, ca).unwrap();
    let base = BaseUrl::parse(&format!("https://localhost:{port}")).unwrap();
    let key = ApiKey::new("sk-ant-api03-tls-test");

    // SAFETY: the only test in this binary; no other thread reads the
    // environment while it is changed.
    unsafe { std::env::remove_var("SSL_CERT_DIR") };

    // A system with no trusted certificates at all: said, not a panic.
    let none = dir.path().join("none.pem");
    std::fs::write(&none, "").unwrap();
    unsafe { std::env::set_var("SSL_CERT_FILE", &none) };
    match claude::validate(Client::new(base.clone()), key.clone()).await {
        Validation::Offline(error) => {
            assert!(
                error.message.contains("ca-certificates"),
                "{}",
                error.message
            );
        }
        other => panic!("no certificates: a connection problem in words: {other:?}"),
    }

    unsafe { std::env::set_var("SSL_CERT_FILE", &untrusted) };
    match claude::validate(Client::new(base.clone()), key.clone()).await {
        Validation::Offline(error) => {
            assert_eq!(error.kind, ErrorKind::Connection);
            assert!(
                error.message.to_lowercase().contains("certificate"),
                "says why: {}",
                error.message
            );
        }
        other => panic!("an authority the system does not trust is refused: {other:?}"),
    }

    unsafe { std::env::set_var("SSL_CERT_FILE", &trusted) };
    let validation = claude::validate(Client::new(base), key).await;
    assert_eq!(
        validation,
        Validation::Valid(Vec::new()),
        "trusted by the system: accepted"
    );
}
