-- Asks the ModelOps operator to go on from a pause by hand or an inconclusive analysis.
-- Sets the annotation modelops.dev/action=resume, the request the operator consumes: it acts, records the
-- outcome in status.lastAction and removes the annotation. Never touches spec, so Git stays the truth.
local requested = "resume"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local pending = obj.metadata.annotations["modelops.dev/action"]
if pending ~= nil and pending ~= requested then
  error("modelops.dev/action=" .. pending .. " is still pending: the operator has not consumed it yet", 0)
end
obj.metadata.annotations["modelops.dev/action"] = requested
return obj
