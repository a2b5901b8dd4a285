//! Paginators: feed each page's output token back into the next request until the service stops
//! returning one. Pages and items are both `futures_core::Stream`s, and have an inherent
//! `next().await` for code that does not use a stream library.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::http::BoxFuture;

/// An output of a paginated operation.
pub trait Paginated {
    /// What the result list holds.
    type Item;
    /// The token for the next page; `None` (or empty) on the last page.
    fn next_token(&self) -> Option<&str>;
    /// The page's results.
    fn into_items(self) -> Vec<Self::Item>;
}

type Fetch<O, E> = Box<dyn FnMut(Option<String>) -> BoxFuture<'static, Result<O, Error<E>>> + Send>;

enum State<O, E> {
    /// The next request carries this token (`None` for the first page without one).
    Ready(Option<String>),
    Fetching(BoxFuture<'static, Result<O, Error<E>>>),
    Done,
}

/// The pages of a paginated call, in order. An error ends the stream after it is yielded.
pub struct Pages<O, E> {
    fetch: Fetch<O, E>,
    state: State<O, E>,
    /// The token that fetched the current page: a service that returns it again would loop.
    sent_token: Option<String>,
}

impl<O, E> std::fmt::Debug for Pages<O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::Fetching(_) => "fetching",
            State::Done => "done",
        };
        f.debug_struct("Pages").field("state", &state).finish()
    }
}

impl<O: Paginated + Send + 'static, E: Send + 'static> Pages<O, E> {
    /// Pages starting at `first_token`; `fetch` makes one call with the token it is given.
    pub(crate) fn new(
        first_token: Option<String>,
        fetch: impl FnMut(Option<String>) -> BoxFuture<'static, Result<O, Error<E>>> + Send + 'static,
    ) -> Self {
        Pages {
            fetch: Box::new(fetch),
            state: State::Ready(first_token),
            sent_token: None,
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

    /// The items of every page, one at a time.
    pub fn items(self) -> Items<O, E> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, Error<E>>>> {
        loop {
            match &mut self.state {
                State::Done => return Poll::Ready(None),
                State::Ready(token) => {
                    let token = token.take();
                    self.sent_token = token.clone();
                    self.state = State::Fetching((self.fetch)(token));
                }
                State::Fetching(future) => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    self.state = match &result {
                        Ok(page) => match page.next_token() {
                            Some(next)
                                if !next.is_empty() && Some(next) != self.sent_token.as_deref() =>
                            {
                                State::Ready(Some(next.to_owned()))
                            }
                            _ => State::Done,
                        },
                        Err(_) => State::Done,
                    };
                    return Poll::Ready(Some(result));
                }
            }
        }
    }
}

impl<O: Paginated + Send + 'static, E: Send + 'static> futures_core::Stream for Pages<O, E> {
    type Item = Result<O, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page, in order.
pub struct Items<O: Paginated, E> {
    pages: Pages<O, E>,
    buffer: VecDeque<O::Item>,
}

impl<O: Paginated, E> std::fmt::Debug for Items<O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<O: Paginated + Send + 'static, E: Send + 'static> Items<O, E> {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<O::Item, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item, or the first error.
    pub async fn collect(mut self) -> Result<Vec<O::Item>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O::Item, Error<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend(page.into_items()),
            }
        }
    }
}

impl<O: Paginated + Send + 'static, E: Send + 'static> futures_core::Stream for Items<O, E>
where
    O::Item: Unpin,
{
    type Item = Result<O::Item, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
