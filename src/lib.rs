//! broadsheet: a terminal news reader for a folder of saved London Daily pages.
//!
//! The loader ([`loader`]) reads a folder into a [`library::Library`] of parsed
//! [`article::Article`]s; the command line ([`cli`]) prints them. Everything that reaches a
//! terminal has been through [`text::clean_line`].

pub mod action;
pub mod allocator;
pub mod app;
pub mod article;
pub mod bookmarks;
pub mod cache;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod generate;
pub mod headers;
pub mod index;
pub mod jobs;
pub mod key;
pub mod keymap;
pub mod library;
pub mod loader;
pub mod page;
pub mod related;
pub mod search;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod watch;
