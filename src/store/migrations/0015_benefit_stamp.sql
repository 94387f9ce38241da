/*
 * 0015_benefit_stamp: a stamp of the benefit catalogue, a random number
 * made anew by every change to what a card's verdict lists (items, their
 * tiers, the categories, a provider's name). The card verifier keeps the
 * benefits of a tier per worker thread under the stamp it read them at
 * (cardtoken.c) and reads only the stamp while it is unchanged; a random
 * stamp also never matches another installation's.
 */
CREATE TABLE benefit_catalogue (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	stamp INTEGER NOT NULL
);
INSERT INTO benefit_catalogue (id, stamp) VALUES (1, random());

CREATE TRIGGER benefit_items_stamp_insert AFTER INSERT ON benefit_items
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_items_stamp_update AFTER UPDATE ON benefit_items
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_items_stamp_delete AFTER DELETE ON benefit_items
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_item_tiers_stamp_insert AFTER INSERT ON benefit_item_tiers
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_item_tiers_stamp_delete AFTER DELETE ON benefit_item_tiers
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_categories_stamp AFTER UPDATE ON benefit_categories
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER benefit_categories_stamp_insert AFTER INSERT ON benefit_categories
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER orgs_name_stamp AFTER UPDATE OF name ON orgs
BEGIN
	UPDATE benefit_catalogue SET stamp = random() WHERE id = 1;
END;
