//! Paginators: call an operation page after page, each request carrying the tokens of the page
//! before, as `paginators-1.json` describes. Generated code supplies how to make the next input
//! from the last input and its page (every token form of botocore: several tokens, tokens of
//! any type, `more_results`, token expressions); the runtime drives it. Pages and items are both
//! `futures_core::Stream`s, and have an inherent `next().await` for code that does not use a
//! stream library.

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Error;
use crate::http::BoxFuture;

/// Whether a token names a next page, as botocore decides it: an absent, empty or zero token
/// does not.
pub trait PageToken {
    /// The token names a next page.
    fn is_set(&self) -> bool;
}

impl PageToken for String {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}

impl PageToken for i32 {
    fn is_set(&self) -> bool {
        *self != 0
    }
}

impl PageToken for i64 {
    fn is_set(&self) -> bool {
        *self != 0
    }
}

impl<K, V, S> PageToken for HashMap<K, V, S> {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}

impl<T> PageToken for Vec<T> {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}

impl PageToken for crate::Document {
    fn is_set(&self) -> bool {
        match self {
            crate::Document::Null | crate::Document::Bool(false) => false,
            crate::Document::String(text) => !text.is_empty(),
            crate::Document::Array(items) => !items.is_empty(),
            crate::Document::Object(members) => !members.is_empty(),
            _ => true,
        }
    }
}

/// An optional token names a next page when it is present and set.
pub fn is_set<T: PageToken>(token: &Option<T>) -> bool {
    token.as_ref().is_some_and(PageToken::is_set)
}

type Page<O, E> = BoxFuture<'static, Result<O, Error<E>>>;
type Advance<O, E> = Box<dyn FnMut(&O) -> Option<Page<O, E>> + Send>;

enum State<O, E> {
    Fetching(Page<O, E>),
    Done,
}

/// The pages of a paginated call, in order. An error ends the stream after it is yielded. A
/// page whose tokens would repeat the request just made (a service that would loop) is
/// followed by a [`Decode`](Error::Decode) error, as botocore raises one.
///
/// `T` is what a page's results hold ([`items`](Self::items) streams them).
pub struct Pages<O, E, T> {
    advance: Advance<O, E>,
    state: State<O, E>,
    /// The results of a page (the paginator's first result key).
    results: fn(O) -> Vec<T>,
}

impl<O, E, T> std::fmt::Debug for Pages<O, E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Fetching(_) => "fetching",
            State::Done => "done",
        };
        f.debug_struct("Pages").field("state", &state).finish()
    }
}

impl<O: Send + 'static, E: Send + 'static, T> Pages<O, E, T> {
    /// Pages starting with `input`: `fetch` makes one call, `next` gives the input of the page
    /// after `page`, requested with `input` (or `None` after the last page), and `results` takes
    /// a page's results out of it.
    pub fn new<I>(
        input: I,
        fetch: impl Fn(I) -> Page<O, E> + Send + 'static,
        next: fn(&I, &O) -> Option<I>,
        results: fn(O) -> Vec<T>,
    ) -> Self
    where
        I: Clone + PartialEq + Send + 'static,
    {
        let first = fetch(input.clone());
        let mut current = input;
        let advance = move |page: &O| {
            let following = next(&current, page)?;
            if following == current {
                // A service answering with the tokens it was asked with would be asked the same
                // page forever; ending quietly would cut the listing short unseen. botocore
                // raises ("The same next token was received twice"); this is the next page's
                // error.
                let error = crate::error::DecodeError {
                    status: 200,
                    request_id: None,
                    message: "the page's next tokens are the ones it was requested with: the \
                              listing cannot go on"
                        .to_owned(),
                };
                let repeated: Page<O, E> = Box::pin(std::future::ready(Err(Error::Decode(error))));
                return Some(repeated);
            }
            current = following.clone();
            Some(fetch(following))
        };
        Pages {
            advance: Box::new(advance),
            state: State::Fetching(first),
            results,
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<O, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_page(cx)).await
    }

    /// Every page, or the first error.
    pub async fn collect(mut self) -> Result<Vec<O>, Error<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// The results of every page, one at a time.
    pub fn items(self) -> Items<O, E, T> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, Error<E>>>> {
        let State::Fetching(future) = &mut self.state else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.state = match &result {
            Ok(page) => match (self.advance)(page) {
                Some(next) => State::Fetching(next),
                None => State::Done,
            },
            Err(_) => State::Done,
        };
        Poll::Ready(Some(result))
    }
}

impl<O: Send + 'static, E: Send + 'static, T> futures_core::Stream for Pages<O, E, T> {
    type Item = Result<O, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The results of every page, in order.
pub struct Items<O, E, T> {
    pages: Pages<O, E, T>,
    buffer: VecDeque<T>,
}

impl<O, E, T> std::fmt::Debug for Items<O, E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<O: Send + 'static, E: Send + 'static, T> Items<O, E, T> {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item, or the first error.
    pub async fn collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend((self.pages.results)(page)),
            }
        }
    }
}

impl<O: Send + 'static, E: Send + 'static, T: Unpin> futures_core::Stream for Items<O, E, T> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Input {
        token: Option<String>,
    }

    #[derive(Debug)]
    struct Output {
        items: Vec<u32>,
        next: Option<String>,
    }

    fn results(page: Output) -> Vec<u32> {
        page.items
    }

    /// Pages `a` → `b` → `c` → end; a service that answers `loop` forever repeats itself.
    fn fetch(input: Input) -> Page<Output, ()> {
        Box::pin(async move {
            let (items, next) = match input.token.as_deref() {
                None => (vec![1, 2], Some("b")),
                Some("b") => (vec![3], Some("c")),
                Some("c") => (vec![], Some("")),
                Some("loop") => (vec![9], Some("loop")),
                Some(other) => panic!("unexpected token {other}"),
            };
            Ok(Output {
                items,
                next: next.map(str::to_owned),
            })
        })
    }

    fn next(_: &Input, page: &Output) -> Option<Input> {
        is_set(&page.next).then(|| Input {
            token: page.next.clone(),
        })
    }

    #[tokio::test]
    async fn pages_follow_tokens_until_one_is_empty() {
        let items = Pages::new(Input { token: None }, fetch, next, results)
            .items()
            .collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_pages_with_an_error() {
        let mut pages = Pages::new(
            Input {
                token: Some("loop".into()),
            },
            fetch,
            next,
            results,
        );
        let first = pages
            .next()
            .await
            .expect("a first page")
            .expect("its items");
        assert_eq!(first.items, [9]);
        match pages.next().await {
            Some(Err(Error::Decode(error))) => {
                assert!(error.message.contains("next tokens"), "{error}");
            }
            other => panic!("expected the repeated token's error, got {other:?}"),
        }
        assert!(pages.next().await.is_none());
    }

    #[test]
    fn tokens_are_set_as_botocore_decides() {
        assert!(!is_set(&Some(String::new())));
        assert!(!is_set::<String>(&None));
        assert!(!is_set(&Some(0i32)));
        assert!(is_set(&Some(5i64)));
        assert!(!is_set(&Some(HashMap::<String, u8>::new())));
    }
}
