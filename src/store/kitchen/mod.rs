//! The kitchen (食堂) tables: menu, food samples, daily logs. One module per table or aggregate; each owns its SQL.
