-- Health of a modelops.dev/v1alpha1 ModelTraining, read from the status the ModelOps operator writes:
-- status.phase (Pending, Queued, Running, Succeeded, Failed, Suspended), the conditions (Ready, the summary,
-- carries the reason and message of the phase; ReconcileError while a reconcile fails) and observedGeneration.
--   Pending, Queued (waiting for Kueue to admit the gang), Running -> Progressing
--   Suspended (spec.suspend)                                      -> Suspended
--   Succeeded (a ModelVersion was produced)                       -> Healthy
--   Failed (after retries, a bad result, an invalid spec)         -> Degraded
--   SpecChanged=True (an edit the running Job cannot take)         -> Degraded
-- Only the Lua base library is used: Argo CD runs argocd-cm scripts without the standard libraries.

local function condition(status, conditionType)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function present(text)
  return text ~= nil and text ~= ""
end

-- "Reason: message" from a condition, or the fallback.
local function explain(c, fallback)
  if c == nil then
    return fallback
  end
  local message = c.message
  if not present(message) then
    message = fallback
  end
  if present(c.reason) then
    return c.reason .. ": " .. message
  end
  return message
end

local hs = {}
local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the ModelOps operator to create the training Job"
  return hs
end

local failing = condition(status, "ReconcileError")
if failing ~= nil and failing.status == "True" then
  hs.status = "Degraded"
  hs.message = explain(failing, "the operator cannot reconcile this training")
  return hs
end

local generation = obj.metadata.generation
if status.observedGeneration == nil or (generation ~= nil and generation > status.observedGeneration) then
  hs.status = "Progressing"
  hs.message = "Waiting for the ModelOps operator to observe generation " .. tostring(generation)
  if status.observedGeneration ~= nil then
    hs.message = hs.message .. " (status describes generation " .. tostring(status.observedGeneration) .. ")"
  end
  return hs
end

local ready = condition(status, "Ready")
local phase = status.phase

-- An edit to a field the API server cannot compare cheaply (trainer.env, trainer.resources, the pod template) has no
-- effect on a training under way: what Git holds is not what runs.
local changed = condition(status, "SpecChanged")
if changed ~= nil and changed.status == "True" and phase ~= "Succeeded" and phase ~= "Failed" then
  hs.status = "Degraded"
  hs.message = explain(changed, "spec changed after the training started")
  return hs
end
if phase == "Succeeded" then
  hs.status = "Healthy"
  if ready ~= nil and present(ready.message) then
    hs.message = ready.message
  elseif present(status.modelVersion) then
    hs.message = "produced ModelVersion " .. status.modelVersion
  else
    hs.message = "training succeeded"
  end
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = explain(ready, "training failed")
  return hs
end

if phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = explain(ready, "spec.suspend is true")
  return hs
end

hs.status = "Progressing"
if phase == nil then
  hs.message = explain(ready, "Waiting for the training to start")
else
  hs.message = explain(ready, "training is " .. phase)
end
return hs
