//! The region, found where botocore finds it: `AWS_REGION` (the SDKs' name), then
//! `AWS_DEFAULT_REGION`, then the profile's `region`; [`Config::load`](crate::Config::load)
//! then asks instance metadata.

use super::env::Env;
use super::profile::SharedConfig;

/// The region the environment or the profile sets.
pub(crate) fn from_env_and_profile(
    env: &Env,
    shared: &SharedConfig,
    profile: &str,
) -> Option<String> {
    env.get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .or_else(|| {
            let profile = shared.profiles.get(profile)?;
            profile.get("region").map(str::to_owned)
        })
}
