//! The fixed-asset (固定资产) tables: categories, the register, transfers, disposals, stocktakes. One module per table or aggregate; each owns its SQL.
