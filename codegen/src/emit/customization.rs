//! What a service needs beyond its model, as botocore's handlers add it by hand for that
//! service alone. Today that is S3: the runtime does the work
//! (`rt::client::Customization::S3`, `rt::s3`); the generated code marks the service, names
//! each request's bucket, percent-encodes `CopySource`, reads `GetBucketLocation`'s bare
//! answer and tolerates an `Expires` header that is no date.

use models::Service;
use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

/// The model is S3's (not S3 Control's, whose rules differ).
pub(crate) fn is_s3(service: &Service) -> bool {
    service.metadata.service_id == "S3"
}

/// The service's `rt::client::Customization`.
pub(crate) fn service_customization(service: &Service) -> TokenStream {
    if is_s3(service) {
        quote!(crate::rt::client::Customization::S3)
    } else {
        quote!(crate::rt::client::Customization::None)
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
