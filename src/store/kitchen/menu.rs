//! `menu_dishes`: the dishes of each meal of each day, in the kitchen's order.

use chrono::NaiveDate;

use crate::kitchen::Meal;
use crate::store::{Conn, Tx};
use crate::{args, Result};

/// The dishes of one meal of one day, in order.
pub fn dishes(conn: &Conn, date: NaiveDate, meal: Meal) -> Result<Vec<String>> {
    conn.rows(
        "SELECT dish FROM menu_dishes WHERE date = ?1 AND meal = ?2 ORDER BY position, id",
        &args![date, meal],
        |r| r.get(0),
    )
}

/// Every dish of the days `from..=to` as (date, meal, dish); a meal's dishes in order.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Meal, String)>> {
    conn.rows(
        "SELECT date, meal, dish FROM menu_dishes WHERE date >= ?1 AND date <= ?2 ORDER BY date, meal, position, id",
        &args![from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Dish names used before, most used first, at most `limit`.
pub fn dish_names(conn: &Conn, limit: usize) -> Result<Vec<String>> {
    conn.rows(
        "SELECT dish FROM menu_dishes GROUP BY dish ORDER BY COUNT(*) DESC, MAX(date) DESC, dish LIMIT ?1",
        &args![limit],
        |r| r.get(0),
    )
}

/// The first day with a menu, if any.
pub fn first_day(conn: &Conn) -> Result<Option<NaiveDate>> {
    conn.value("SELECT MIN(date) FROM menu_dishes", &[])
}

/// The meal's dishes become `dishes`, in this order.
pub fn replace(tx: &Tx, date: NaiveDate, meal: Meal, dishes: &[String]) -> Result<()> {
    tx.exec("DELETE FROM menu_dishes WHERE date = ?1 AND meal = ?2", &args![date, meal])?;
    for (position, dish) in dishes.iter().enumerate() {
        tx.exec(
            "INSERT INTO menu_dishes (date, meal, position, dish) VALUES (?1, ?2, ?3, ?4)",
            &args![date, meal, position, dish],
        )?;
    }
    Ok(())
}
