-- What each child's line of a confirmed settlement was computed from, as a
-- digest (enrolment, the leave that can touch the month, the calendar around
-- it). A later preview settles again only the children whose inputs changed
-- since, instead of every child of every closed month.
CREATE TABLE settlement_inputs (
    settlement_id INTEGER NOT NULL REFERENCES settlements (id),
    child_id      INTEGER NOT NULL REFERENCES children (id),
    digest        INTEGER NOT NULL,
    PRIMARY KEY (settlement_id, child_id)
);
