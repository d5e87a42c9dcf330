-- Receipts (收据) for money received from a family (issue 14 §2).
--
-- Every 收款 gets its receipt number in the transaction that records it, so
-- the numbers run like a receipt book's: per calendar year of the payment's
-- date, 1, 2, 3 … with no gap and no reuse (UNIQUE (year, seq)). A payment is
-- never deleted, and one cancelled by a 冲销 keeps its number: its receipt
-- prints 作废, as a spoilt slip stays in the book. Refunds and reversals get
-- no receipt (the school pays out; the family does not need one).
-- `print_count` 0 means never printed: what 体检 reports as an unprinted
-- receipt. A reprint prints 补打.
CREATE TABLE receipts (
    payment_id       BIGINT PRIMARY KEY REFERENCES payments (id),
    year             BIGINT NOT NULL,
    seq              BIGINT NOT NULL CHECK (seq >= 1),
    print_count      BIGINT NOT NULL DEFAULT 0 CHECK (print_count >= 0),
    first_printed_at TIMESTAMP,
    first_printed_by TEXT,
    last_printed_at  TIMESTAMP,
    last_printed_by  TEXT,
    UNIQUE (year, seq)
);

-- Payments recorded before receipts existed get their numbers now, in the
-- order they were entered; none of them was printed.
INSERT INTO receipts (payment_id, year, seq)
SELECT id, EXTRACT(YEAR FROM paid_on)::BIGINT,
       ROW_NUMBER() OVER (PARTITION BY EXTRACT(YEAR FROM paid_on) ORDER BY id)
FROM payments WHERE kind = 'payment';
