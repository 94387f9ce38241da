/*
 * 0009_orders: the recruitment order (光谷招聘令, DOMAIN.md programme 1)
 * and its hire (src/domain/order.c). An employer issues an order for one
 * post of its organisation: a title, the industry-chain segment it serves,
 * the annual salary offered (integer fen) and a description. An order is
 * open until one hire fills it or it is closed; closed_at is the moment it
 * stopped being open (filled or closed), closed_by who closed it.
 * created_by and closed_by are accounts (NULL for the command line and
 * the demo). version grows with every change of the row.
 *
 * A hire registers who took the post and under which contract: the
 * talent, the contracted annual salary (fen), the first day of work and
 * the contract's term in whole years. One post, one hire (order_id is
 * unique); org_id repeats the order's organisation so that an employer's
 * hires are one indexed range. pack and version name the policy version in
 * force on the start day that decided the hire, recognised or not
 * (recognised 1: a recognition of basis 'order' with this hire as its
 * source was written in the same transaction, 0008_recognition.sql).
 * Civil dates are text YYYY-MM-DD, times epoch seconds.
 */
CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	segment TEXT NOT NULL REFERENCES segments (token),
	salary_fen INTEGER NOT NULL CHECK (salary_fen > 0),
	description TEXT,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	closed_at INTEGER,
	closed_by INTEGER REFERENCES users (id),
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((status = 'open') = (closed_at IS NULL)),
	CHECK (closed_by IS NULL OR status = 'closed')
);
/* the lists: newest first, all of them, by organisation, by status, or both */
CREATE INDEX orders_org ON orders (org_id, id);
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_org_status ON orders (org_id, status, id);

CREATE TABLE hires (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id),
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	contract_fen INTEGER NOT NULL CHECK (contract_fen > 0),
	start_on TEXT NOT NULL CHECK (length(start_on) = 10),
	term_years INTEGER NOT NULL CHECK (term_years BETWEEN 1 AND 10),
	pack TEXT NOT NULL,
	version TEXT NOT NULL,
	recognised INTEGER NOT NULL CHECK (recognised IN (0, 1)),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id)
);
CREATE INDEX hires_talent ON hires (talent_id, id);
CREATE INDEX hires_org ON hires (org_id, id);
