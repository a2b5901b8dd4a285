//! What a service needs beyond its model, as botocore's handlers add it by hand for that
//! service alone: S3 (the runtime does the work: `rt::client::Customization::S3`, `rt::s3`;
//! the generated code marks the service, names each request's bucket, percent-encodes
//! `CopySource`, reads `GetBucketLocation`'s bare answer and tolerates an `Expires` header that
//! is no date), DynamoDB's `x-amz-crc32` check (`Customization::DynamoDb`), the base64
//! `UserData` of EC2's RunInstances, IAM's percent-encoded policy documents and Route 53's ids
//! given as paths; S3's list operations ask for url-encoded keys and decode them; EC2's
//! console output decoded; API Gateway's `Accept`; the presigned source-region URL of EC2's,
//! RDS's, Neptune's and DocumentDB's cross-region copies; Glacier's version header, default
//! account id and upload hashes; RDS's and Aurora DSQL's database auth tokens.

use models::{Member, Service, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

/// The model is S3's (not S3 Control's, whose rules differ).
pub(crate) fn is_s3(service: &Service) -> bool {
    service.metadata.service_id == "S3"
}

/// The Rust name of the text field of member `name`, held directly (not boxed), if `fields`
/// has one: what the customizations that read or fill in a member work on.
fn text_field(space: &TypeSpace<'_>, fields: &[Field<'_>], name: &str) -> Option<syn::Ident> {
    fields
        .iter()
        .find(|field| {
            field.member.name == name
                && !field.boxed
                && matches!(
                    space.service.shape(field.member.target).kind,
                    ShapeKind::String { .. }
                )
        })
        .map(|field| ident(&field.rust_name))
}

/// The service's `rt::client::Customization`.
pub(crate) fn service_customization(service: &Service) -> TokenStream {
    if is_s3(service) {
        quote!(crate::rt::client::Customization::S3)
    } else if service.metadata.endpoint_prefix == "dynamodb" {
        // botocore checks `x-amz-crc32` for the service named `dynamodb` (not its streams).
        quote!(crate::rt::client::Customization::DynamoDb)
    } else {
        quote!(crate::rt::client::Customization::None)
    }
}

/// The service's `rt::client::BearerAuth`, as botocore decides: always for a service that
/// takes nothing else (`signatureVersion: bearer`, or an `auth` list without SigV4); when a
/// token is given for one that offers both, where botocore reads such a token (the signing
/// name `bedrock`: its `get_bearer_auth_supported_services`); else never.
pub(crate) fn service_bearer(service: &Service) -> TokenStream {
    let metadata = &service.metadata;
    let offers = |scheme: &str| metadata.auth.iter().any(|found| found == scheme);
    let sigv4 = offers("aws.auth#sigv4") || offers("aws.auth#sigv4a");
    let bearer = offers("smithy.api#httpBearerAuth");
    let signing_name = metadata
        .signing_name
        .as_deref()
        .unwrap_or(&metadata.endpoint_prefix);
    let only = if metadata.auth.is_empty() {
        metadata.signature_version == "bearer"
    } else {
        bearer && !sigv4
    };
    if only {
        quote!(crate::rt::client::BearerAuth::Only)
    } else if bearer && signing_name == "bedrock" {
        quote!(crate::rt::client::BearerAuth::WhenGiven)
    } else {
        quote!(crate::rt::client::BearerAuth::No)
    }
}

/// S3: tells the request which URI label is the bucket, so that the runtime can move it into
/// the host name (virtual-hosted addressing).
pub(crate) fn bucket_binding(space: &TypeSpace<'_>, fields: &[Field<'_>]) -> Option<TokenStream> {
    if !is_s3(space.service) {
        return None;
    }
    let field = fields.iter().find(|field| {
        field.member.name == "Bucket" && field.member.location == models::Location::Uri
    })?;
    let name = ident(&field.rust_name);
    Some(quote!(request.bucket(input.#name.as_deref());))
}

/// S3's `GetBucketLocation` answers the bare `<LocationConstraint>` element, not the output
/// structure the model describes: botocore reads its text by hand, and so does the expression
/// this gives for the output's member (named beside it).
pub(crate) fn root_text_read(
    space: &TypeSpace<'_>,
    output: &models::Shape,
    fields: &[Field<'_>],
) -> Option<(syn::Ident, TokenStream)> {
    if !is_s3(space.service) || output.name != "GetBucketLocationOutput" {
        return None;
    }
    let field = fields
        .iter()
        .find(|field| field.member.name == "LocationConstraint")?;
    let read = quote! {
        crate::rt::s3::root_text(response)?.map(|text| ::std::convert::From::from(text.as_str()))
    };
    Some((ident(&field.rust_name), read))
}

/// S3's `Expires` response header holds whatever the object was stored with, not always a
/// date: it is read as botocore reads it, a value that does not parse left out instead of
/// failing the call (`rt::s3::expires_header`).
pub(crate) fn expires_header_read(
    space: &TypeSpace<'_>,
    member: &models::Member,
    format: &TokenStream,
) -> Option<TokenStream> {
    if !is_s3(space.service) || member.name != "Expires" || member.wire_name() != "Expires" {
        return None;
    }
    Some(quote!(crate::rt::s3::expires_header(response, "Expires", #format)))
}

/// S3's `CopySource` (CopyObject, UploadPartCopy) goes percent-encoded, as botocore's
/// `handle_copy_source_param` sends it: the header's value, an `Option<&String>` made from the
/// member by `rt::s3::encode_copy_source`.
pub(crate) fn copy_source_header(space: &TypeSpace<'_>, field: &Field<'_>) -> Option<TokenStream> {
    let member = field.member;
    if !is_s3(space.service)
        || member.name != "CopySource"
        || !member.wire_name().eq_ignore_ascii_case("x-amz-copy-source")
    {
        return None;
    }
    let name = ident(&field.rust_name);
    Some(quote! {
        input.#name.as_deref().map(crate::rt::s3::encode_copy_source).as_ref()
    })
}

/// An S3 list operation whose keys botocore asks for url-encoded when the caller did not
/// choose an encoding (`set_list_objects_encoding_type_url`), so that a key with characters XML
/// cannot carry still lists, and then decodes (`decode_list_object`, `_v2`, `_versions`).
struct UrlEncodedList {
    operation: &'static str,
    /// The output's members holding keys.
    keys: &'static [&'static str],
    /// `(list, member)`: the keys held by the structures of the output's lists.
    keys_in_lists: &'static [(&'static str, &'static str)],
}

const URL_ENCODED_LISTS: &[UrlEncodedList] = &[
    UrlEncodedList {
        operation: "ListObjects",
        keys: &["Delimiter", "Marker", "NextMarker"],
        keys_in_lists: &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    },
    UrlEncodedList {
        operation: "ListObjectsV2",
        keys: &["Delimiter", "Prefix", "StartAfter"],
        keys_in_lists: &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    },
    UrlEncodedList {
        operation: "ListObjectVersions",
        keys: &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
        keys_in_lists: &[
            ("Versions", "Key"),
            ("DeleteMarkers", "Key"),
            ("CommonPrefixes", "Prefix"),
        ],
    },
];

/// S3's list operations: the `Operation` items that ask for url-encoded keys when the caller
/// left `EncodingType` unset, and decode them in the output (as `unquote_plus` does).
pub(crate) fn url_encoded_keys(
    space: &TypeSpace<'_>,
    operation: &models::Operation,
) -> Option<TokenStream> {
    if !is_s3(space.service) {
        return None;
    }
    let encoded = URL_ENCODED_LISTS
        .iter()
        .find(|encoded| encoded.operation == operation.name)?;
    let input = space.service.shape(operation.input?).as_structure()?;
    let output = space.service.shape(operation.output?).as_structure()?;
    let field_named = |fields: &[Field<'_>], name: &str| {
        fields
            .iter()
            .find(|field| field.member.name == name && !field.boxed)
            .map(|field| ident(&field.rust_name))
    };
    let input_fields = space.fields(input);
    let output_fields = space.fields(output);
    let input_encoding = field_named(&input_fields, "EncodingType")?;
    let output_encoding = field_named(&output_fields, "EncodingType")?;
    let mut decodes = Vec::new();
    for name in encoded.keys {
        let field = field_named(&output_fields, name)?;
        decodes.push(quote!(crate::rt::s3::url_decode(&mut output.#field);));
    }
    for (list, member) in encoded.keys_in_lists {
        let list_field = output_fields
            .iter()
            .find(|field| field.member.name == *list)?;
        let ShapeKind::List { member: item, .. } =
            &space.service.shape(list_field.member.target).kind
        else {
            return None;
        };
        let item = space.service.shape(item.target).as_structure()?;
        let item_fields = space.fields(item);
        let field = field_named(&item_fields, member)?;
        let list = ident(&list_field.rust_name);
        decodes.push(quote! {
            for item in output.#list.iter_mut().flatten() {
                crate::rt::s3::url_decode(&mut item.#field);
            }
        });
    }
    Some(quote! {
        fn default_url_encoding(input: &mut Self::Input) -> bool {
            if input.#input_encoding.is_some() {
                return false;
            }
            input.#input_encoding = ::std::option::Option::Some(::std::convert::From::from("url"));
            true
        }

        fn decode_url_encoding(output: &mut Self::Output) {
            if output.#output_encoding.as_ref().map(|encoding| encoding.as_str()) != ::std::option::Option::Some("url") {
                return;
            }
            #(#decodes)*
        }
    })
}

/// The `Operation::finish_output` of an operation whose output botocore mends after the call:
/// EC2's GetConsoleOutput, whose base64 `Output` it decodes (`decode_console_output`).
pub(crate) fn finish_output(
    space: &TypeSpace<'_>,
    operation: &models::Operation,
) -> Option<TokenStream> {
    if space.service.metadata.endpoint_prefix != "ec2" || operation.name != "GetConsoleOutput" {
        return None;
    }
    let output = space.service.shape(operation.output?).as_structure()?;
    let name = text_field(space, &space.fields(output), "Output")?;
    Some(quote! {
        fn finish_output(output: &mut Self::Output) {
            crate::rt::handlers::decode_base64_text(&mut output.#name);
        }
    })
}

/// A call botocore sends with a presigned URL of the same call in the source region, which
/// the source region's service checks before the copy is made (`inject_presigned_url_ec2`,
/// `inject_presigned_url_rds`).
struct CrossRegionCopy {
    service_id: &'static str,
    operation: &'static str,
    /// The member the URL goes in.
    url: &'static str,
    /// The model has a `DestinationRegion` member (EC2), set to the client's region for the
    /// call and its URL. Without one (RDS, Neptune, DocumentDB), the URL gets the parameter,
    /// and `SourceRegion`, a member only botocore's `sdk-extras` add, is taken out of the call.
    destination_member: bool,
}

const CROSS_REGION_COPIES: &[CrossRegionCopy] = &[
    CrossRegionCopy {
        service_id: "EC2",
        operation: "CopySnapshot",
        url: "PresignedUrl",
        destination_member: true,
    },
    CrossRegionCopy {
        service_id: "RDS",
        operation: "CopyDBClusterSnapshot",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "RDS",
        operation: "CreateDBCluster",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "RDS",
        operation: "CopyDBSnapshot",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "RDS",
        operation: "CreateDBInstanceReadReplica",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "RDS",
        operation: "StartDBInstanceAutomatedBackupsReplication",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "Neptune",
        operation: "CopyDBClusterSnapshot",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "Neptune",
        operation: "CreateDBCluster",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "DocDB",
        operation: "CopyDBClusterSnapshot",
        url: "PreSignedUrl",
        destination_member: false,
    },
    CrossRegionCopy {
        service_id: "DocDB",
        operation: "CreateDBCluster",
        url: "PreSignedUrl",
        destination_member: false,
    },
];

/// The `Operation` items that fill in the presigned source-region URL of a cross-region copy
/// ([`CROSS_REGION_COPIES`]); `None` for any other operation, or a model version without the
/// members.
pub(crate) fn cross_region_presign(
    space: &TypeSpace<'_>,
    operation: &models::Operation,
    fields: &[Field<'_>],
) -> Option<TokenStream> {
    let copy = CROSS_REGION_COPIES.iter().find(|copy| {
        copy.service_id == space.service.metadata.service_id && copy.operation == operation.name
    })?;
    let member = |name: &str| text_field(space, fields, name);
    let url = member(copy.url)?;
    let source = member("SourceRegion")?;
    let prepare = if copy.destination_member {
        let destination = member("DestinationRegion")?;
        quote! {
            if input.#url.is_some() {
                return ::std::option::Option::None;
            }
            let source = input.#source.clone()?;
            input.#destination = ::std::option::Option::Some(destination.to_owned());
            ::std::option::Option::Some(crate::rt::client::CrossRegionPresign {
                source,
                input: input.clone(),
                destination_parameter: ::std::option::Option::None,
            })
        }
    } else {
        quote! {
            let _ = destination;
            let source = input.#source.take()?;
            if input.#url.is_some() {
                return ::std::option::Option::None;
            }
            ::std::option::Option::Some(crate::rt::client::CrossRegionPresign {
                source,
                input: input.clone(),
                destination_parameter: ::std::option::Option::Some("DestinationRegion"),
            })
        }
    };
    Some(quote! {
        fn cross_region_presign(
            input: &mut Self::Input,
            destination: &str,
        ) -> ::std::option::Option<crate::rt::client::CrossRegionPresign<Self::Input>> {
            #prepare
        }

        fn set_presigned_url(input: &mut Self::Input, url: ::std::string::String) {
            input.#url = ::std::option::Option::Some(url);
        }
    })
}

/// CloudSearch Domain's Search takes its whole query in the query string, which may outgrow a
/// URL: botocore sends it as a POST with the query string as a form body (`change_get_to_post`).
pub(crate) fn query_as_form_body(
    space: &TypeSpace<'_>,
    operation: &models::Operation,
) -> Option<TokenStream> {
    (space.service.metadata.service_id == "CloudSearch Domain" && operation.name == "Search")
        .then(|| quote!(request.query_as_form_body();))
}

/// API Gateway answers some calls (GetExport, GetSdk) in the type `Accept` asks for: botocore
/// sends `Accept: application/json` unless the call sets one (`add_accept_header`).
pub(crate) fn default_accept(space: &TypeSpace<'_>) -> Option<TokenStream> {
    (space.service.metadata.service_id == "API Gateway")
        .then(|| quote!(request.default_header("accept", "application/json");))
}

/// The model is S3 Glacier's.
fn is_glacier(service: &Service) -> bool {
    service.metadata.service_id == "Glacier"
}

/// Glacier's operations whose body goes with its SHA-256 and tree hash (`add_glacier_checksums`).
const GLACIER_UPLOADS: &[&str] = &["UploadArchive", "UploadMultipartPart"];

/// Glacier: every request names the API version it speaks in `x-amz-glacier-version` (the
/// model's `apiVersion`, as botocore's `add_glacier_version` sends it), and the uploads carry
/// their body's SHA-256 and tree hash (`rt::glacier`).
pub(crate) fn glacier_headers(
    space: &TypeSpace<'_>,
    operation: &models::Operation,
) -> Vec<TokenStream> {
    if !is_glacier(space.service) {
        return Vec::new();
    }
    let version = &space.service.metadata.api_version;
    let mut statements = vec![quote! {
        request.set_header(
            "x-amz-glacier-version",
            crate::rt::http::HeaderValue::from_static(#version),
        );
    }];
    if GLACIER_UPLOADS.contains(&operation.name.as_str()) {
        statements.push(quote!(request.upload_hashes();));
    }
    statements
}

/// Glacier: an account id left unset is `-`, the account the credentials belong to, as
/// botocore's `inject_account_id` fills it in before validation.
pub(crate) fn glacier_account_id(space: &TypeSpace<'_>, fields: &[Field<'_>]) -> Vec<TokenStream> {
    if !is_glacier(space.service) {
        return Vec::new();
    }
    text_field(space, fields, "accountId")
        .map(|name| {
            quote! {
                if input.#name.is_none() {
                    input.#name = ::std::option::Option::Some(::std::convert::From::from("-"));
                }
            }
        })
        .into_iter()
        .collect()
}

/// The methods botocore adds to RDS's client (`generate_db_auth_token`) and Aurora DSQL's
/// (`generate_db_connect_auth_token`, `generate_db_connect_admin_auth_token`): database auth
/// tokens, presigned URLs made locally that the database takes as a password
/// (`rt::auth_token`).
pub(crate) fn db_auth_token_methods(service: &Service) -> TokenStream {
    let result = quote! {
        ::std::result::Result<::std::string::String, crate::Error<::std::convert::Infallible>>
    };
    match service.metadata.service_id.as_str() {
        "RDS" => quote! {
            /// An IAM database authentication token for logging in to the MySQL, MariaDB or
            /// PostgreSQL database at `hostname`:`port` as `username`: use it as the password.
            /// Signed locally with the client's credentials for `region` (the client's unless
            /// given), valid for 15 minutes; nothing is sent. As boto3's
            /// `generate_db_auth_token` makes it.
            ///
            /// # Errors
            ///
            /// [`Error::Credentials`](crate::Error::Credentials) when there are no credentials
            /// to sign with.
            pub async fn generate_db_auth_token(
                &self,
                hostname: &str,
                port: u16,
                username: &str,
                region: ::std::option::Option<&str>,
            ) -> #result {
                let token = crate::rt::auth_token::DbAuthToken::rds(hostname, port, username)
                    .region(region);
                self.inner.db_auth_token(token).await
            }
        },
        "DSQL" => {
            let method = |name: &str, admin: bool, role: &str| {
                let name = ident(name);
                let doc = format!(
                    " A token for connecting to the Aurora DSQL cluster at `hostname` as {role}:                      use it as the password. Signed locally with the client's credentials for                      `region` (the client's unless given), valid for `expires_in` (15 minutes                      unless given; 1 s to 7 days); nothing is sent. As boto3's `{name}` makes                      it."
                );
                quote! {
                    #[doc = #doc]
                    ///
                    /// # Errors
                    ///
                    /// [`Error::Credentials`](crate::Error::Credentials) when there are no
                    /// credentials to sign with, or `expires_in` is out of range.
                    pub async fn #name(
                        &self,
                        hostname: &str,
                        region: ::std::option::Option<&str>,
                        expires_in: ::std::option::Option<::std::time::Duration>,
                    ) -> #result {
                        let token = crate::rt::auth_token::DbAuthToken::dsql(hostname, #admin)
                            .region(region)
                            .expires_in(expires_in.unwrap_or(crate::rt::auth_token::DEFAULT_EXPIRY));
                        self.inner.db_auth_token(token).await
                    }
                }
            };
            let connect = method(
                "generate_db_connect_auth_token",
                false,
                "a custom database role (`DbConnect`)",
            );
            let admin = method(
                "generate_db_connect_admin_auth_token",
                true,
                "the `admin` role (`DbConnectAdmin`)",
            );
            quote!(#connect #admin)
        }
        _ => TokenStream::new(),
    }
}

/// A note for the docs of an input member the client fills in or transforms, as boto3's docs
/// note them (`AutoPopulatedParam`, `document_base64_encoding`).
pub(crate) struct MemberNote {
    pub(crate) text: &'static str,
    /// The client fills the member in when it is left unset, so the model's "required" does
    /// not bind the caller (boto3's docs drop `[REQUIRED]` for it too).
    pub(crate) fills_in: bool,
}

/// The [`MemberNote`] of `member` of structure `holder`, if any: Glacier's account id and
/// upload checksum, S3's SSE-C key MD5s, the presigned URL of a cross-region copy, base64
/// `UserData`.
pub(crate) fn member_note(
    service: &Service,
    holder: ShapeId,
    member: &Member,
) -> Option<MemberNote> {
    let input_of = |operation: &str| {
        service
            .operations
            .get(operation)
            .is_some_and(|operation| operation.input == Some(holder))
    };
    let is_input = || {
        service
            .operations
            .values()
            .any(|operation| operation.input == Some(holder))
    };
    if !matches!(service.shape(member.target).kind, ShapeKind::String { .. }) {
        return None;
    }
    let fills_in = |text| {
        Some(MemberNote {
            text,
            fills_in: true,
        })
    };
    let name = member.name.as_str();
    if is_glacier(service) && name == "accountId" && is_input() {
        return fills_in("*Left unset, it is `-`: the account the credentials belong to.*");
    }
    if is_glacier(service)
        && name == "checksum"
        && GLACIER_UPLOADS.iter().any(|operation| input_of(operation))
    {
        return fills_in("*Left unset, it is computed from the body.*");
    }
    if is_s3(service)
        && matches!(name, "SSECustomerKeyMD5" | "CopySourceSSECustomerKeyMD5")
        && is_input()
    {
        return fills_in("*Left unset, it is computed from the key.*");
    }
    if is_base64_user_data(service, holder, member) {
        return Some(MemberNote {
            text: "*Give the text itself: it is sent base64-encoded.*",
            fills_in: false,
        });
    }
    let copy = CROSS_REGION_COPIES
        .iter()
        .find(|copy| copy.service_id == service.metadata.service_id && input_of(copy.operation))?;
    if name == copy.url {
        fills_in(
            "*Left unset when `SourceRegion` is given, it is filled in: this call presigned for \
             the source region.*",
        )
    } else if name == "DestinationRegion" && copy.destination_member {
        fills_in("*Set to the client's region when `SourceRegion` is given.*")
    } else {
        None
    }
}

/// The operations whose text `UserData` botocore base64-encodes before sending
/// (`base64_encode_user_data`): the services document it as encoded for SDK users.
const BASE64_USER_DATA: &[(&str, &str)] = &[
    ("ec2", "RunInstances"),
    ("autoscaling", "CreateLaunchConfiguration"),
];

/// `member` of structure `holder` is a text `UserData` that goes base64-encoded: a member of
/// the input of an operation in [`BASE64_USER_DATA`].
pub(crate) fn is_base64_user_data(service: &Service, holder: ShapeId, member: &Member) -> bool {
    member.name == "UserData"
        && matches!(service.shape(member.target).kind, ShapeKind::String { .. })
        && BASE64_USER_DATA.iter().any(|&(prefix, operation)| {
            service.metadata.endpoint_prefix == prefix
                && service
                    .operations
                    .get(operation)
                    .is_some_and(|operation| operation.input == Some(holder))
        })
}

/// IAM's policy documents (`policyDocumentType`): JSON sent percent-encoded, which botocore
/// decodes in every output (`json_decode_policies`); read as the JSON text, and in botocore
/// form as the JSON value.
pub(crate) fn is_policy_document(service: &Service, id: ShapeId) -> bool {
    let shape = service.shape(id);
    service.metadata.endpoint_prefix == "iam"
        && shape.name == "policyDocumentType"
        && matches!(shape.kind, ShapeKind::String { .. })
}

/// CloudFormation's GetTemplate answers the template as text, and botocore gives a JSON
/// template as its value (`json_decode_template_body`; YAML stays text): so does the botocore
/// form of `TemplateBody` in that output (`params::JsonText`), while the typed member keeps
/// the text, which is what CreateStack takes back.
pub(crate) fn is_json_template_body(service: &Service, holder: &str, member: &Member) -> bool {
    service.metadata.service_id == "CloudFormation"
        && holder == "GetTemplateOutput"
        && member.name == "TemplateBody"
        && matches!(service.shape(member.target).kind, ShapeKind::String { .. })
}

/// The shapes of Route 53's ids, which its answers give as paths (`/hostedzone/Z123`).
const ROUTE53_IDS: &[&str] = &["ResourceId", "DelegationSetId", "ChangeId"];

/// Route 53: statements keeping the last path segment of each input id, so that an id from an
/// answer (`/hostedzone/Z123`) can be passed back as it is (botocore's `fix_route53_ids`).
pub(crate) fn route53_ids(space: &TypeSpace<'_>, fields: &[Field<'_>]) -> Vec<TokenStream> {
    if space.service.metadata.endpoint_prefix != "route53" {
        return Vec::new();
    }
    fields
        .iter()
        .filter(|field| {
            let target = space.service.shape(field.member.target);
            ROUTE53_IDS.contains(&target.name.as_str())
                && matches!(target.kind, ShapeKind::String { .. })
                && !field.boxed
        })
        .map(|field| {
            let name = ident(&field.rust_name);
            quote! {
                if let ::std::option::Option::Some(id) = &mut input.#name {
                    crate::rt::request::keep_last_segment(id);
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// EC2's `RunInstances` sends its text `UserData` base64-encoded, as botocore does; a
    /// `UserData` held deeper (a spot request's launch specification) goes as it is.
    #[test]
    fn run_instances_user_data_goes_base64() {
        let model = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../service-json/ec2/2016-11-15/service-2.json");
        let service = models::load_service_files(&model, None).expect("the EC2 model loads");
        let input = |operation: &str| service.operations[operation].input.expect("an input");
        let user_data = |holder| {
            let structure = service.shape(holder).as_structure().expect("a structure");
            let member = structure
                .members
                .iter()
                .find(|member| member.name == "UserData");
            super::is_base64_user_data(&service, holder, member.expect("a UserData member"))
        };
        assert!(user_data(input("RunInstances")));
        let spot = service
            .shape(input("RequestSpotInstances"))
            .as_structure()
            .unwrap();
        let launch = spot
            .members
            .iter()
            .find(|m| m.name == "LaunchSpecification")
            .unwrap();
        assert!(!user_data(launch.target));

        let generated = crate::Config::new("ec2")
            .operations(vec!["RunInstances".to_owned()])
            .generate(&service)
            .expect("RunInstances generates");
        let structures = &generated.files[Path::new("src/types/structures.rs")];
        assert!(
            structures
                .contains(r#"writer.member("UserData", |writer| writer.blob(value.as_bytes()));"#),
            "RunInstancesRequest writes UserData as a blob"
        );
    }

    /// Route 53's ids keep their last segment before they are bound to the URI; another
    /// service's members of the same shape names are left alone.
    #[test]
    fn route53_ids_are_cut_to_their_last_segment() {
        let model = |endpoint_prefix: &str| {
            generated_operations(
                ("Route 53", endpoint_prefix),
                "rest-xml",
                serde_json::json!({
                    "operations": {"GetHostedZone": {
                        "name": "GetHostedZone",
                        "http": {"method": "GET", "requestUri": "/2013-04-01/hostedzone/{Id}"},
                        "input": {"shape": "GetHostedZoneRequest"}
                    }},
                    "shapes": {
                        "GetHostedZoneRequest": {"type": "structure", "required": ["Id"], "members": {
                            "Id": {"shape": "ResourceId", "location": "uri", "locationName": "Id"}
                        }},
                        "ResourceId": {"type": "string", "max": 32}
                    }
                }),
            )
        };
        assert!(model("route53").contains("crate::rt::request::keep_last_segment(id);"));
        assert!(!model("fixture").contains("keep_last_segment"));
    }

    /// Glacier: every call names the model's API version, an unset account id is `-`, and only
    /// the uploads ask for the body's hashes.
    #[test]
    fn glacier_calls_carry_the_version_account_and_upload_hashes() {
        let operations = generated_operations(
            ("Glacier", "glacier"),
            "rest-json",
            serde_json::json!({
                "operations": {
                    "UploadArchive": {
                        "name": "UploadArchive",
                        "http": {"method": "POST", "requestUri": "/{accountId}/vaults/{vaultName}/archives"},
                        "input": {"shape": "UploadArchiveInput"}
                    },
                    "CreateVault": {
                        "name": "CreateVault",
                        "http": {"method": "PUT", "requestUri": "/{accountId}/vaults/{vaultName}"},
                        "input": {"shape": "CreateVaultInput"}
                    }
                },
                "shapes": {
                    "UploadArchiveInput": {"type": "structure", "required": ["vaultName", "accountId"],
                        "payload": "body", "members": {
                        "vaultName": {"shape": "String", "location": "uri", "locationName": "vaultName"},
                        "accountId": {"shape": "String", "location": "uri", "locationName": "accountId"},
                        "body": {"shape": "Stream"}
                    }},
                    "CreateVaultInput": {"type": "structure", "required": ["vaultName", "accountId"], "members": {
                        "vaultName": {"shape": "String", "location": "uri", "locationName": "vaultName"},
                        "accountId": {"shape": "String", "location": "uri", "locationName": "accountId"}
                    }},
                    "String": {"type": "string"},
                    "Stream": {"type": "blob", "streaming": true}
                }
            }),
        );
        let compact: String = operations.split_whitespace().collect();
        assert_eq!(
            compact
                .matches(r#"set_header("x-amz-glacier-version",crate::rt::http::HeaderValue::from_static("2015-07-09"),);"#)
                .count(),
            2
        );
        assert_eq!(
            compact
                .matches(r#"ifinput.account_id.is_none(){input.account_id=::std::option::Option::Some(::std::convert::From::from("-"),);}"#)
                .count(),
            2
        );
        assert_eq!(compact.matches("request.upload_hashes();").count(), 1);
        let upload = operations
            .find("impl crate::rt::client::Operation for UploadArchive")
            .expect("UploadArchive");
        assert!(operations[upload..].contains("request.upload_hashes();"));
    }

    /// The docs of a member the client fills in say so, and drop the model's "required", as
    /// boto3's docs do.
    #[test]
    fn members_the_client_fills_in_are_documented_so() {
        let structures = generated_file(
            ("Glacier", "glacier"),
            "rest-json",
            serde_json::json!({
                "operations": {"CreateVault": {
                    "name": "CreateVault",
                    "http": {"method": "PUT", "requestUri": "/{accountId}/vaults/{vaultName}"},
                    "input": {"shape": "CreateVaultInput"}
                }},
                "shapes": {
                    "CreateVaultInput": {"type": "structure", "required": ["vaultName", "accountId"], "members": {
                        "vaultName": {"shape": "String", "location": "uri", "locationName": "vaultName"},
                        "accountId": {"shape": "String", "location": "uri", "locationName": "accountId"}
                    }},
                    "String": {"type": "string"}
                }
            }),
            "src/types/structures.rs",
        );
        assert!(structures.contains("/// *Left unset, it is `-`: the account the credentials belong to.*\n    pub account_id"));
        assert!(structures.contains("/// *Required.*\n    pub vault_name"));
    }

    /// RDS's client gets `generate_db_auth_token`, Aurora DSQL's its two token methods, and no
    /// other service's either.
    #[test]
    fn rds_and_dsql_clients_make_database_auth_tokens() {
        let client = |service: (&str, &str), protocol: &str| {
            generated_file(
                service,
                protocol,
                serde_json::json!({
                    "operations": {"DescribeThings": {
                        "name": "DescribeThings",
                        "http": {"method": "POST", "requestUri": "/"}
                    }},
                    "shapes": {}
                }),
                "src/client.rs",
            )
        };
        let rds = client(("RDS", "rds"), "query");
        assert!(rds.contains("pub async fn generate_db_auth_token("));
        assert!(rds.contains("DbAuthToken::rds(hostname, port, username)"));
        let dsql = client(("DSQL", "dsql"), "rest-json");
        assert!(dsql.contains("pub async fn generate_db_connect_auth_token("));
        assert!(dsql.contains("pub async fn generate_db_connect_admin_auth_token("));
        assert!(dsql.contains("DbAuthToken::dsql(hostname, true)"));
        let other = client(("Neptune", "rds"), "query");
        assert!(!other.contains("auth_token"));
    }

    /// The operations of a small model of `(service id, endpoint prefix)`, with `protocol`,
    /// generated.
    fn generated_operations(
        service: (&str, &str),
        protocol: &str,
        model: serde_json::Value,
    ) -> String {
        generated_file(service, protocol, model, "src/operations.rs")
    }

    /// File `file` of the crate generated from a small model.
    fn generated_file(
        (service_id, endpoint_prefix): (&str, &str),
        protocol: &str,
        model: serde_json::Value,
        file: &str,
    ) -> String {
        let mut text = model;
        text["metadata"] = serde_json::json!({
            "apiVersion": "2015-07-09", "endpointPrefix": endpoint_prefix,
            "protocol": protocol, "protocols": [protocol],
            "serviceFullName": service_id, "serviceId": service_id,
            "signatureVersion": "v4", "uid": "fixture-2015-07-09"
        });
        let service =
            models::load_service("fixture.json", &text.to_string(), None).expect("the model loads");
        let generated = crate::Config::new("fixture")
            .generate(&service)
            .expect("generates");
        generated.files[Path::new(file)].clone()
    }

    /// Bearer tokens as botocore takes them: always where the model offers nothing else
    /// (CodeCatalyst's `signatureVersion: bearer`, or an `auth` list without SigV4); when given
    /// for Bedrock, which offers both; never for another service offering both, nor for SigV4.
    #[test]
    fn bearer_tokens_go_where_botocore_sends_them() {
        let bearer = |endpoint_prefix: &str, signing: (&str, serde_json::Value)| {
            let mut metadata = serde_json::json!({
                "apiVersion": "2023-09-30", "endpointPrefix": endpoint_prefix,
                "protocol": "rest-json", "protocols": ["rest-json"],
                "serviceFullName": "Fixture", "serviceId": "Fixture",
                "signatureVersion": signing.0, "signingName": "bedrock",
                "uid": "fixture-2023-09-30"
            });
            if endpoint_prefix != "bedrock-runtime" {
                metadata["signingName"] = endpoint_prefix.into();
            }
            if !signing.1.is_null() {
                metadata["auth"] = signing.1;
            }
            let model = serde_json::json!({
                "metadata": metadata,
                "operations": {"Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/ping"}}},
                "shapes": {}
            });
            let service = models::load_service("fixture.json", &model.to_string(), None)
                .expect("the model loads");
            let generated = crate::Config::new("fixture")
                .generate(&service)
                .expect("generates");
            let client = &generated.files[Path::new("src/client.rs")];
            ["No", "WhenGiven", "Only"]
                .into_iter()
                .find(|kind| {
                    client.contains(&format!("bearer: crate::rt::client::BearerAuth::{kind},"))
                })
                .expect("the service says")
        };
        let both = serde_json::json!(["aws.auth#sigv4", "smithy.api#httpBearerAuth"]);
        let bearer_alone = serde_json::json!(["smithy.api#httpBearerAuth"]);
        let none = serde_json::Value::Null;
        assert_eq!(bearer("codecatalyst", ("bearer", none.clone())), "Only");
        assert_eq!(bearer("fixture", ("v4", bearer_alone)), "Only");
        assert_eq!(bearer("bedrock-runtime", ("v4", both.clone())), "WhenGiven");
        assert_eq!(bearer("fixture", ("v4", both)), "No");
        assert_eq!(bearer("fixture", ("v4", none)), "No");
    }

    /// API Gateway sends `Accept: application/json` unless a member sets it; EC2's
    /// GetConsoleOutput decodes its `Output`.
    #[test]
    fn api_gateway_accepts_json_and_ec2_decodes_console_output() {
        let api_gateway = generated_operations(
            ("API Gateway", "apigateway"),
            "rest-json",
            serde_json::json!({
                "operations": {"GetExport": {
                    "name": "GetExport",
                    "http": {"method": "GET", "requestUri": "/restapis/{restapi_id}"},
                    "input": {"shape": "GetExportRequest"}
                }},
                "shapes": {
                    "GetExportRequest": {"type": "structure", "required": ["restApiId"], "members": {
                        "restApiId": {"shape": "String", "location": "uri", "locationName": "restapi_id"},
                        "accepts": {"shape": "String", "location": "header", "locationName": "Accept"}
                    }},
                    "String": {"type": "string"}
                }
            }),
        );
        let accept = api_gateway
            .find(r#"request.default_header("accept", "application/json");"#)
            .expect("the default Accept");
        let member = api_gateway
            .find(r#"request.header("Accept""#)
            .expect("the Accept member is bound");
        assert!(
            member < accept,
            "the member's Accept is bound first, and wins"
        );

        let ec2 = generated_operations(
            ("EC2", "ec2"),
            "ec2",
            serde_json::json!({
                "operations": {"GetConsoleOutput": {
                    "name": "GetConsoleOutput",
                    "http": {"method": "POST", "requestUri": "/"},
                    "input": {"shape": "GetConsoleOutputRequest"},
                    "output": {"shape": "GetConsoleOutputResult"}
                }},
                "shapes": {
                    "GetConsoleOutputRequest": {"type": "structure", "members": {
                        "InstanceId": {"shape": "String"}
                    }},
                    "GetConsoleOutputResult": {"type": "structure", "members": {
                        "Output": {"shape": "String", "locationName": "output"}
                    }},
                    "String": {"type": "string"}
                }
            }),
        );
        assert!(ec2.contains("crate::rt::handlers::decode_base64_text(&mut output.output);"));
    }

    /// RDS's cross-region copies take their unmodeled `SourceRegion` out of the call and give
    /// the presigned URL `DestinationRegion` as a parameter; an older model version without
    /// the members generates nothing.
    #[test]
    fn rds_cross_region_copies_presign_the_source_region() {
        let model = |members: serde_json::Value| {
            serde_json::json!({
                "operations": {"CopyDBSnapshot": {
                    "name": "CopyDBSnapshot",
                    "http": {"method": "POST", "requestUri": "/"},
                    "input": {"shape": "CopyDBSnapshotMessage"}
                }},
                "shapes": {
                    "CopyDBSnapshotMessage": {"type": "structure", "members": members},
                    "String": {"type": "string"}
                }
            })
        };
        let rds = generated_operations(
            ("RDS", "rds"),
            "query",
            model(serde_json::json!({
                "SourceDBSnapshotIdentifier": {"shape": "String"},
                "PreSignedUrl": {"shape": "String"},
                "SourceRegion": {"shape": "String"}
            })),
        );
        assert!(
            rds.contains("let source = input.source_region.take()?;"),
            "{rds}"
        );
        assert!(rds.contains(
            r#"destination_parameter: ::std::option::Option::Some("DestinationRegion")"#
        ));
        assert!(rds.contains("input.pre_signed_url = ::std::option::Option::Some(url);"));
        let old = generated_operations(
            ("RDS", "rds"),
            "query",
            model(serde_json::json!({"SourceDBSnapshotIdentifier": {"shape": "String"}})),
        );
        assert!(!old.contains("cross_region_presign"));
    }

    /// CloudFormation's GetTemplate gives a JSON template as its value in botocore form; the
    /// same shape in CreateStack's input stays text.
    #[test]
    fn get_template_s_json_template_is_a_value_in_botocore_form() {
        let structures = generated_file(
            ("CloudFormation", "cloudformation"),
            "query",
            serde_json::json!({
                "operations": {
                    "GetTemplate": {
                        "name": "GetTemplate",
                        "http": {"method": "POST", "requestUri": "/"},
                        "input": {"shape": "GetTemplateInput"},
                        "output": {"shape": "GetTemplateOutput", "resultWrapper": "GetTemplateResult"}
                    },
                    "CreateStack": {
                        "name": "CreateStack",
                        "http": {"method": "POST", "requestUri": "/"},
                        "input": {"shape": "CreateStackInput"}
                    }
                },
                "shapes": {
                    "GetTemplateInput": {"type": "structure", "members": {
                        "StackName": {"shape": "StackName"}
                    }},
                    "GetTemplateOutput": {"type": "structure", "members": {
                        "TemplateBody": {"shape": "TemplateBody"}
                    }},
                    "CreateStackInput": {"type": "structure", "members": {
                        "StackName": {"shape": "StackName"},
                        "TemplateBody": {"shape": "TemplateBody"}
                    }},
                    "StackName": {"type": "string"},
                    "TemplateBody": {"type": "string", "min": 1}
                }
            }),
            "src/types/structures.rs",
        );
        // Each structure's botocore form, up to the next one's.
        let form = |structure: &str| {
            let start = structures
                .find(&format!(
                    "impl crate::rt::params::Params for {structure} {{"
                ))
                .unwrap_or_else(|| panic!("{structure}'s botocore form"));
            let rest = &structures[start + 1..];
            let end = rest
                .find("impl crate::rt::params::Params for")
                .unwrap_or(rest.len());
            rest[..end].to_owned()
        };
        let get_template = form("GetTemplateOutput");
        assert!(
            get_template.contains("output.template_body = params::JsonText::read_member(")
                && get_template.contains("params::JsonText::put_member("),
            "{get_template}"
        );
        let create_stack = form("CreateStackInput");
        assert!(create_stack.contains("output.template_body = params::Plain::read_member("));
        assert!(!create_stack.contains("JsonText"), "{create_stack}");
    }

    /// CloudSearch Domain's Search goes as a POST of its query string; other operations do not.
    #[test]
    fn cloudsearch_domain_search_goes_as_a_post() {
        let model = |operation: &str| {
            generated_operations(
                ("CloudSearch Domain", "cloudsearchdomain"),
                "rest-json",
                serde_json::json!({
                    "operations": {operation: {
                        "name": operation,
                        "http": {"method": "GET", "requestUri": "/2013-01-01/search?format=sdk&pretty=true"},
                        "input": {"shape": "SearchRequest"}
                    }},
                    "shapes": {
                        "SearchRequest": {"type": "structure", "required": ["query"], "members": {
                            "query": {"shape": "String", "location": "querystring", "locationName": "q"}
                        }},
                        "String": {"type": "string"}
                    }
                }),
            )
        };
        assert!(model("Search").contains("request.query_as_form_body();"));
        assert!(!model("Suggest").contains("query_as_form_body"));
    }
}
