//! Database auth tokens: a presigned URL, without its scheme, that a database takes as the
//! password of an IAM-authenticated login. botocore adds the methods that make them to two
//! clients: RDS's `generate_db_auth_token` (IAM database authentication for MySQL, MariaDB and
//! PostgreSQL) and Aurora DSQL's `generate_db_connect_auth_token` and
//! `generate_db_connect_admin_auth_token`. Nothing is sent: the token is signed locally, with
//! the client's credentials, and the database checks it.

use std::time::{Duration, SystemTime};

use crate::credentials::Credentials;
use crate::error::CredentialsError;
use crate::http::Method;
use crate::request::RequestBuilder;

/// How long a token is valid unless told otherwise: botocore's 15 minutes, which is all RDS
/// accepts.
pub const DEFAULT_EXPIRY: Duration = Duration::from_secs(900);

/// A database auth token to make ([`ServiceClient::db_auth_token`]).
///
/// [`ServiceClient::db_auth_token`]: crate::client::ServiceClient::db_auth_token
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbAuthToken<'a> {
    hostname: &'a str,
    kind: Kind<'a>,
    region: Option<&'a str>,
    expires_in: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    Rds { port: u16, username: &'a str },
    Dsql { admin: bool },
}

impl<'a> DbAuthToken<'a> {
    /// RDS: a login as `username` to the database at `hostname`:`port` (the instance's or
    /// cluster's endpoint), signed for `rds-db`.
    pub fn rds(hostname: &'a str, port: u16, username: &'a str) -> Self {
        DbAuthToken {
            hostname,
            kind: Kind::Rds { port, username },
            region: None,
            expires_in: DEFAULT_EXPIRY,
        }
    }

    /// Aurora DSQL: a connection to the cluster at `hostname` (its endpoint), as the `admin`
    /// role (`DbConnectAdmin`) or as a custom role (`DbConnect`), signed for `dsql`.
    pub fn dsql(hostname: &'a str, admin: bool) -> Self {
        DbAuthToken {
            hostname,
            kind: Kind::Dsql { admin },
            region: None,
            expires_in: DEFAULT_EXPIRY,
        }
    }

    /// The region the database is in, when it is not the client's.
    pub fn region(mut self, region: Option<&'a str>) -> Self {
        self.region = region;
        self
    }

    /// How long the token is valid ([`DEFAULT_EXPIRY`] unless set): 1 s to 7 days, as any
    /// presigned URL.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// The region to sign for: the token's own, else `default` (the client's).
    pub(crate) fn region_or<'b>(&'b self, default: &'b str) -> &'b str {
        self.region.unwrap_or(default)
    }

    /// The token: `hostname[:port]/?Action=...&X-Amz-...&X-Amz-Signature=...`, signed at
    /// `time` for `region`.
    pub(crate) fn sign(
        &self,
        credentials: &Credentials,
        region: &str,
        time: SystemTime,
    ) -> Result<String, CredentialsError> {
        if !crate::sign::is_valid_expiry(self.expires_in) {
            return Err(CredentialsError::new(format!(
                "a database auth token expires within 1 s to 7 days, not {:?}",
                self.expires_in
            )));
        }
        // botocore gives the host a scheme for its URL parser, and takes it off at the end.
        const SCHEME: &str = "https://";
        let (action, endpoint, signing_name) = match self.kind {
            Kind::Rds { port, .. } => (
                "connect",
                format!("{SCHEME}{}:{port}", self.hostname),
                "rds-db",
            ),
            Kind::Dsql { admin } => (
                if admin { "DbConnectAdmin" } else { "DbConnect" },
                format!("{SCHEME}{}", self.hostname),
                "dsql",
            ),
        };
        // The parameters go as a form body, which presigning moves into the URL, as botocore
        // moves its body parameters.
        let mut request = RequestBuilder::new(action, Method::GET);
        request.path("/");
        request.form_body(format!("Action={action}").into_bytes());
        if let Kind::Rds { username, .. } = self.kind {
            request.form_pair("DBUser", username);
        }
        request.presigned();
        let request = request.finish(&endpoint);
        let url = crate::sign::presign_url(
            &request,
            credentials,
            region,
            signing_name,
            false,
            self.expires_in,
            time,
        )?;
        Ok(url.strip_prefix(SCHEME).unwrap_or(&url).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-02T03:04:05Z.
    fn time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
    }

    /// The tokens botocore 1.44.8 makes with these credentials at `time()`: RDS's
    /// `generate_db_auth_token` (client in us-west-2; a second database in eu-west-1) and
    /// DSQL's two (client in us-east-1, a session token that needs encoding).
    #[test]
    fn tokens_are_the_ones_botocore_makes() {
        let plain = Credentials::new("AKIDEXAMPLE", "secret", None);
        let token = DbAuthToken::rds(
            "mydb.123456789012.us-west-2.rds.amazonaws.com",
            5432,
            "jane doe+1",
        );
        assert_eq!(
            token
                .sign(&plain, token.region_or("us-west-2"), time())
                .unwrap(),
            "mydb.123456789012.us-west-2.rds.amazonaws.com:5432/?Action=connect&DBUser=jane%20doe%2B1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-west-2%2Frds-db%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=74275e270897cb69aa36f3976a5977adc36ca73cdd97f5f7d6d2eb18ab55d7d0"
        );
        let token = DbAuthToken::rds("mydb.cluster-x.eu-west-1.rds.amazonaws.com", 3306, "admin")
            .region(Some("eu-west-1"));
        assert_eq!(
            token
                .sign(&plain, token.region_or("us-west-2"), time())
                .unwrap(),
            "mydb.cluster-x.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=admin&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=bd6d47ae34ce08f603a35fc62b81ea714fdba164ed21a2671c64021e23fbb719"
        );

        let session = Credentials::new("AKIDEXAMPLE", "secret", Some("token/with+chars=".into()));
        let connect = DbAuthToken::dsql("abc.dsql.us-east-1.on.aws", false);
        assert_eq!(
            connect.sign(&session, "us-east-1", time()).unwrap(),
            "abc.dsql.us-east-1.on.aws/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fdsql%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=token%2Fwith%2Bchars%3D&X-Amz-Signature=624b8c38ffc59806f9ac5bd751c67814cc3af28564702bf1211de92ac0144502"
        );
        let admin = DbAuthToken::dsql("abc.dsql.us-east-1.on.aws", true)
            .expires_in(Duration::from_secs(3600));
        assert_eq!(
            admin.sign(&session, "us-east-1", time()).unwrap(),
            "abc.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fdsql%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=token%2Fwith%2Bchars%3D&X-Amz-Signature=519d7d98f2f3a39416f95028e2293c98b9f9b0d677b6d277c8304023d9822ec1"
        );
    }

    /// An expiry no presigned URL can have is refused, naming it.
    #[test]
    fn an_impossible_expiry_is_refused() {
        let plain = Credentials::new("AKIDEXAMPLE", "secret", None);
        for expires_in in [Duration::ZERO, Duration::from_secs(8 * 24 * 3600)] {
            let token =
                DbAuthToken::dsql("abc.dsql.us-east-1.on.aws", false).expires_in(expires_in);
            let error = token.sign(&plain, "us-east-1", time()).unwrap_err();
            assert!(error.to_string().contains("1 s to 7 days"), "{error}");
        }
    }
}
