//! One result row, as either backend hands it over.

use super::error::StoreError;
use super::value::{FromValue, Value};
use crate::Result;

/// The columns of one row, in the order the query selected them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    pub(super) fn with_capacity(n: usize) -> Row {
        Row { values: Vec::with_capacity(n) }
    }

    pub(super) fn from_values(values: Vec<Value>) -> Row {
        Row { values }
    }

    pub(super) fn clear(&mut self) {
        self.values.clear();
    }

    pub(super) fn push(&mut self, v: Value) {
        self.values.push(v);
    }

    /// Column `i` (from 0) read as `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self.values.get(i).ok_or_else(|| StoreError::decode(format!("结果没有第 {} 列", i + 1)))?;
        Ok(T::from_value(v).map_err(|e| StoreError::decode(format!("第 {} 列:{}", i + 1, e.message)))?)
    }

    /// Column `i` as it came from the database.
    pub fn value(&self, i: usize) -> &Value {
        self.values.get(i).unwrap_or(&Value::Null)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// All the columns, moved out (copying a row between databases).
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }
}
