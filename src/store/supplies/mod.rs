//! The supplies (物品领用) tables: items, stock documents and movements, deposits, stocktakes. One module per table or aggregate; each owns its SQL.
