//! The kitchen (食堂) tables: menu, food samples, daily logs. One module per table or aggregate; each owns its SQL.

pub mod disinfections;
pub mod fridge_readings;
pub mod health_checks;
pub mod menu;
pub mod off_day_meals;
pub mod samples;
