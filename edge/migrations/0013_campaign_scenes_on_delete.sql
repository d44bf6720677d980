-- A campaign that ends is deleted (its clicks, conversions and report rows keep their ids):
-- its (partner, scene) rows in campaign_scenes (0012) go with it. Without this the foreign key
-- from campaign_scenes refused every campaign deletion.
CREATE TRIGGER campaign_scenes_on_delete BEFORE DELETE ON campaigns BEGIN
    DELETE FROM campaign_scenes WHERE campaign_id = OLD.id;
END;
